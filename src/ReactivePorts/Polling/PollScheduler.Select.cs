using System.Diagnostics;
using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling.Backends;

namespace ReactivePorts.Polling;

public sealed partial class PollScheduler
{
    // Registrations by slot; a slot's generation changes on reuse, so a stale token is dropped.
    private PollRegistration?[] _slots = new PollRegistration?[64];
    private uint[] _generations = new uint[64];
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;
    private int _registrationCount;

    /// <summary>The number of live registrations (for monitoring and tests).</summary>
    internal int RegistrationCount => _registrationCount;

    /// <summary>
    /// Starts watching a descriptor (loop thread only). Takes a reference on
    /// <paramref name="handle"/> until <see cref="Deselect"/>.
    /// </summary>
    /// <exception cref="IOException">The descriptor cannot be watched (for example a regular file: EPERM).</exception>
    internal PollRegistration Select(SafeHandle handle, PollEvents interest, IPollHandler handler)
    {
        AssertLoopThread();
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        handle.DangerousAddRef(ref added);
        int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
        if (slot >= _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
            Array.Resize(ref _generations, _generations.Length * 2);
        }
        var registration = new PollRegistration(this, handle, handler, slot, _generations[slot]);
        if (interest != PollEvents.None)
        {
            int rc = _backend.Add(registration.Fd, interest, registration.Token);
            if (rc < 0)
            {
                _freeSlots.Push(slot);
                handle.DangerousRelease();
                throw Libc.IOError("epoll_ctl(ADD)", -rc);
            }
            registration.Registered = interest;
        }
        registration.Interest = interest;
        _slots[slot] = registration;
        _registrationCount++;
        return registration;
    }

    internal void SetInterest(PollRegistration registration, PollEvents interest)
    {
        AssertLoopThread();
        interest &= PollEvents.Readable | PollEvents.Writable;
        if (registration.IsStopped || registration.Interest == interest) return;
        registration.Interest = interest;
        if (interest == PollEvents.None)
        {
            // Leaves the set before the loop next waits, unless taken back meanwhile.
            if (registration.Registered != PollEvents.None && !registration.RemovalQueued)
            {
                registration.RemovalQueued = true;
                _pendingRemovals.Add(registration);
            }
            return;
        }
        if (registration.Registered == interest) return; // still in the set: nothing to tell the kernel
        int rc = registration.Registered != PollEvents.None
            ? _backend.Modify(registration.Fd, interest, registration.Token)
            : _backend.Add(registration.Fd, interest, registration.Token);
        if (rc < 0) throw Libc.IOError("epoll_ctl", -rc);
        registration.Registered = interest;
    }

    private readonly List<PollRegistration> _pendingRemovals = new();

    /// <summary>Takes the descriptors whose interest emptied out of the backend's set (loop thread, before a wait).</summary>
    private void ApplyPendingRemovals()
    {
        foreach (var registration in _pendingRemovals)
        {
            registration.RemovalQueued = false;
            if (registration.IsStopped || registration.Interest != PollEvents.None || registration.Registered == PollEvents.None) continue;
            _backend.Remove(registration.Fd);
            registration.Registered = PollEvents.None;
        }
        _pendingRemovals.Clear();
    }

    /// <summary>
    /// Stops watching (loop thread only; idempotent). After this the loop never reports the
    /// registration again, releases its reference on the handle, and then calls the handler's
    /// <see cref="IPollHandler.OnStopped"/> — the point where the owner may close the descriptor
    /// (Erlang's stop_select).
    /// </summary>
    internal void Deselect(PollRegistration registration)
    {
        AssertLoopThread();
        if (registration.IsStopped) return;
        registration.IsStopped = true;
        // The descriptor is still open here (we hold a reference), so DEL cannot hit a reused number.
        if (registration.Registered != PollEvents.None) _backend.Remove(registration.Fd);
        registration.Registered = PollEvents.None;
        int slot = registration.Slot;
        _slots[slot] = null;
        _generations[slot]++;
        _freeSlots.Push(slot);
        _registrationCount--;
        registration.Handle.DangerousRelease();
        try
        {
            registration.Handler.OnStopped(registration);
        }
        catch (Exception ex)
        {
            // The owner's stop callback failed; the registration is gone either way.
            ReportError(ex);
        }
    }

    private void Dispatch(ReadOnlySpan<PollEvent> events)
    {
        foreach (var e in events)
        {
            int slot = (int)(uint)e.Token;
            uint generation = (uint)(e.Token >> 32);
            if ((uint)slot >= (uint)_slots.Length) continue;
            var registration = _slots[slot];
            // Dropped: deselected earlier in this batch (maybe with its slot already reused).
            if (registration is null || registration.Generation != generation || registration.IsStopped) continue;
            var ready = e.Events;
            var interest = registration.Interest;
            if ((ready & (PollEvents.Error | PollEvents.HangUp)) != 0) ready |= interest;
            ready &= interest | PollEvents.Error | PollEvents.HangUp;
            if ((ready & interest) == 0) continue;
            try
            {
                registration.Handler.OnReady(registration, ready);
            }
            catch (Exception ex)
            {
                // A driver or subscriber threw: report it; the loop and the other descriptors carry on.
                ReportError(ex);
            }
        }
    }

    private void DeselectAll()
    {
        for (int i = 0; i < _nextSlot && i < _slots.Length; i++)
        {
            if (_slots[i] is { } registration) Deselect(registration);
        }
    }

    [Conditional("DEBUG")]
    private void AssertLoopThread() =>
        Debug.Assert(IsLoopThread || _thread is null || !_thread.IsAlive, "Poll registrations are changed on the loop thread only.");
}

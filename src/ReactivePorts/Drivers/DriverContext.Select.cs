using System.Runtime.InteropServices;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

public sealed partial class DriverContext : IPollHandler
{
    private sealed class Selection(SafeHandle handle, PollRegistration registration)
    {
        public SafeHandle Handle { get; } = handle;
        public PollRegistration Registration { get; } = registration;
        public PollEvents Requested { get; set; }
    }

    private readonly List<Selection> _selections = new(2);
    private int _pausedReading;

    /// <summary>
    /// Watches <paramref name="handle"/> for <paramref name="interest"/> (Erlang's
    /// <c>driver_select</c> with READ/WRITE): readiness arrives as
    /// <see cref="PortDriver.OnReadable"/> / <see cref="PortDriver.OnWritable"/>.
    /// <see cref="PollEvents.None"/> disarms the descriptor but keeps it selected. The port holds
    /// a reference on the handle until <see cref="Deselect"/>.
    /// </summary>
    /// <exception cref="IOException">The descriptor cannot be watched (a regular file: EPERM).</exception>
    public void Select(SafeHandle handle, PollEvents interest)
    {
        ArgumentNullException.ThrowIfNull(handle);
        interest &= PollEvents.Readable | PollEvents.Writable;
        var selection = Find(handle);
        if (selection is null)
        {
            if (_state == State.Closed)
            {
                // Too late to watch it: hand it straight to stop_select, which owns closing it.
                _driver.CallOnStopSelect(handle);
                return;
            }
            // Registered with the interest asked for, even while reading is paused, so a descriptor
            // epoll cannot watch (a regular file: EPERM) fails here, in the driver's call, not later
            // when reading resumes; the paused interest is applied just below.
            var registration = Scheduler.Select(handle, interest, this);
            selection = new Selection(handle, registration);
            _selections.Add(selection);
        }
        selection.Requested = interest;
        selection.Registration.SetInterest(Effective(interest));
    }

    /// <summary>
    /// Stops watching <paramref name="handle"/> (Erlang's USE off). Once the loop can no
    /// longer report it, <see cref="PortDriver.OnStopSelect"/> runs and may close it.
    /// </summary>
    public void Deselect(SafeHandle handle)
    {
        var selection = Find(handle);
        if (selection is null) return;
        if (ReferenceEquals(_directWrites, handle)) DisableDirectWrites();
        _selections.Remove(selection);
        selection.Registration.Deselect();
    }

    /// <summary>Whether <paramref name="handle"/> is selected by this port (loop thread).</summary>
    internal bool IsSelected(SafeHandle handle) => Find(handle) is not null;

    /// <summary>
    /// Adds and removes interests of a handle, keeping the others (Erlang's <c>driver_select</c> with a
    /// mode and on/off: ask for writability while the queue is non-empty without touching reading). A
    /// handle not selected is selected when something is added; when only removing, it stays
    /// unselected (it may have been deselected meanwhile, by a half-close for instance, and be closed
    /// already).
    /// </summary>
    /// <exception cref="IOException">The descriptor cannot be watched (a regular file: EPERM).</exception>
    public void ChangeInterest(SafeHandle handle, PollEvents add, PollEvents remove)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var selection = Find(handle);
        if (selection is null && add == PollEvents.None) return;
        Select(handle, ((selection?.Requested ?? PollEvents.None) | add) & ~remove);
    }

    private Selection? Find(SafeHandle handle)
    {
        foreach (var s in _selections)
        {
            if (ReferenceEquals(s.Handle, handle)) return s;
        }
        return null;
    }

    private PollEvents Effective(PollEvents requested) =>
        _pausedReading > 0 ? requested & ~PollEvents.Readable : requested;

    /// <summary>Stops reading (nested; loop thread). A full hand-off or a busy downstream port pauses its source this way.</summary>
    internal void PauseReading()
    {
        if (_pausedReading++ == 0) ApplyInterest();
    }

    /// <summary>Undoes one <see cref="PauseReading"/> (loop thread).</summary>
    internal void ResumeReading()
    {
        if (_pausedReading == 0 || --_pausedReading != 0) return;
        ApplyInterest();
        if (!_inputStarted)
        {
            _inputStarted = true;
            ReleaseHeld();
            if (_eofDeferred) DeliverEof();
            else if (!_options.ExitWaitsForEof && _state != State.Closed) ReportExitBeforeEof();
        }
        if (_state is State.Open or State.Closing && !_eofDelivered && _pausedReading == 0) Guard(static d => d.CallOnReadingResumed());
    }

    private void ApplyInterest()
    {
        try
        {
            foreach (var s in _selections) s.Registration.SetInterest(Effective(s.Requested));
        }
        catch (IOException ex)
        {
            // The kernel refused a descriptor (epoll_ctl): this port cannot read it, so it fails with
            // that, rather than waiting for readiness that will never be reported.
            Finish(ex);
        }
    }

    private void DeselectAll()
    {
        while (_selections.Count > 0) Deselect(_selections[^1].Handle);
    }

    void IPollHandler.OnReady(PollRegistration registration, PollEvents events)
    {
        var handle = registration.Handle;
        ResetTimeslice();
        try
        {
            if ((events & PollEvents.Readable) != 0) _driver.CallOnReadable(handle);
            if ((events & PollEvents.Writable) != 0 && !registration.IsStopped) _driver.CallOnWritable(handle);
        }
        catch (Exception ex)
        {
            // The driver failed while handling readiness: that fails its port.
            Finish(ex);
        }
    }

    void IPollHandler.OnStopped(PollRegistration registration)
    {
        try
        {
            _driver.CallOnStopSelect(registration.Handle);
        }
        catch (Exception ex)
        {
            // Closing a descriptor failed; there is nothing left to undo.
            Scheduler.ReportError(ex);
        }
    }
}

public sealed partial class DriverContext
{
    /// <summary>Whether reading is paused (no subscriber yet, a full hand-off, a busy downstream port): a driver should stop reading soon.</summary>
    public bool IsReadingPaused => _pausedReading > 0;
}

using System.Runtime.InteropServices;

namespace ReactivePorts.Polling;

/// <summary>
/// One descriptor selected on a loop. The registration holds a reference on the descriptor's
/// SafeHandle, so the number cannot be closed (and reused) while the loop may report it; it is
/// released when the registration is deselected, on the loop.
/// </summary>
internal sealed class PollRegistration
{
    internal PollRegistration(PollScheduler loop, SafeHandle handle, IPollHandler handler, int slot, uint generation)
    {
        Loop = loop;
        Handle = handle;
        Handler = handler;
        Fd = (int)handle.DangerousGetHandle();
        Slot = slot;
        Generation = generation;
    }

    internal PollScheduler Loop { get; }

    internal SafeHandle Handle { get; }

    internal IPollHandler Handler { get; }

    internal int Fd { get; }

    internal int Slot { get; }

    internal uint Generation { get; }

    /// <summary>What the loop currently watches for.</summary>
    internal PollEvents Interest { get; set; }

    /// <summary>
    /// The events the backend's set holds for the descriptor (None: not in the set). It can briefly
    /// be more than <see cref="Interest"/>: an emptied interest leaves the set only when the loop is
    /// about to wait, so a stream that drops and takes back its interest in one iteration (a write
    /// that drains the queue, then one that fills the pipe again) costs no epoll_ctl. A hung-up
    /// descriptor still cannot spin the loop: it is out of the set before the loop waits.
    /// </summary>
    internal PollEvents Registered { get; set; }

    /// <summary>Queued for leaving the backend's set before the next wait.</summary>
    internal bool RemovalQueued { get; set; }

    /// <summary>Deselected: nothing more will be reported.</summary>
    internal bool IsStopped { get; set; }

    /// <summary>epoll's user data: slot and generation, never the fd number (fd numbers are reused).</summary>
    internal ulong Token => ((ulong)Generation << 32) | (uint)Slot;

    /// <summary>Changes what the loop watches for (loop thread).</summary>
    internal void SetInterest(PollEvents interest) => Loop.SetInterest(this, interest);

    /// <summary>Deselects (loop thread): see <see cref="PollScheduler.Deselect"/>.</summary>
    internal void Deselect() => Loop.Deselect(this);
}

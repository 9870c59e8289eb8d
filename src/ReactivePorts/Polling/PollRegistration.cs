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

    /// <summary>Whether the descriptor is in the backend's set (it is removed while the interest is empty, so a hung-up descriptor cannot spin the loop).</summary>
    internal bool InBackend { get; set; }

    /// <summary>Deselected: nothing more will be reported.</summary>
    internal bool IsStopped { get; set; }

    /// <summary>epoll's user data: slot and generation, never the fd number (fd numbers are reused).</summary>
    internal ulong Token => ((ulong)Generation << 32) | (uint)Slot;

    /// <summary>Changes what the loop watches for (loop thread).</summary>
    internal void SetInterest(PollEvents interest) => Loop.SetInterest(this, interest);

    /// <summary>Deselects (loop thread): see <see cref="PollScheduler.Deselect"/>.</summary>
    internal void Deselect() => Loop.Deselect(this);
}

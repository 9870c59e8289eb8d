using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Watches a child's pidfd on a loop until it becomes readable, reaps the child with
/// waitid(P_PIDFD) and reports the status. It outlives a closed port, so a child is always reaped
/// (no zombies) and the port's exit task always completes; when its loop shuts down first, the
/// process-wide <see cref="ChildReaper"/> takes the child over (and watches it with one of these).
/// </summary>
internal sealed class ChildWatcher(ChildProcess child, Action<ExitStatus> onReaped) : IPollHandler
{
    /// <summary>Starts watching on <paramref name="loop"/> (its thread); a child already reaped is reported at once.</summary>
    public void Start(PollScheduler loop)
    {
        if (child.PidFd is null || child.Status is not null)
        {
            onReaped(child.Status ?? ExitStatus.Unknown);
            child.Dispose();
            return;
        }
        loop.Select(child.PidFd, PollEvents.Readable, this);
    }

    public void OnReady(PollRegistration registration, PollEvents events)
    {
        if (child.TryReap() is not { } status) return;
        registration.Deselect();
        onReaped(status);
    }

    public void OnStopped(PollRegistration registration)
    {
        if (child.Status is null && registration.Loop.IsDisposed)
        {
            // The loop was disposed while the child runs: the reaper takes over, so the child is
            // still reaped (no zombie) and whoever waits for its status still hears of it.
            ChildReaper.Adopt(child, onReaped);
            return;
        }
        // Reaped: the pidfd is no longer needed.
        child.Dispose();
    }
}

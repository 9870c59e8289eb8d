using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Watches a child's pidfd on the port's loop until it becomes readable, reaps the child with
/// waitid(P_PIDFD) and reports the status to the port. It outlives a closed port, so a child
/// is always reaped (no zombies) and the port's exit task always completes; when the port's loop
/// shuts down first, the process-wide <see cref="ChildReaper"/> takes the child over.
/// </summary>
internal sealed class ChildWatcher(ChildProcess child, DriverContext port) : IPollHandler
{
    public void Start()
    {
        if (child.PidFd is null)
        {
            port.ReportExit(child.Status ?? ExitStatus.Unknown);
            return;
        }
        port.Scheduler.Select(child.PidFd, PollEvents.Readable, this);
    }

    public void OnReady(PollRegistration registration, PollEvents events)
    {
        if (child.TryReap() is not { } status) return;
        registration.Deselect();
        port.ReportExit(status);
    }

    public void OnStopped(PollRegistration registration)
    {
        if (child.Status is null && registration.Loop.IsDisposed)
        {
            // The port's loop was disposed while the child runs: the reaper takes over, so the
            // child is still reaped (no zombie) and the port's exit task still completes.
            ChildReaper.Adopt(child, port.ReportExit);
            return;
        }
        // Reaped: the pidfd is no longer needed.
        child.Dispose();
    }
}

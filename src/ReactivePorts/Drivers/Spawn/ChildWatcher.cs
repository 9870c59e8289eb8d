using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Watches a child's pidfd on the loop until it becomes readable, reaps the child with
/// waitid(P_PIDFD) and reports the status to the port. It outlives a closed port, so a child
/// is always reaped (no zombies) and the port's exit task always completes.
/// </summary>
internal sealed class ChildWatcher(ChildProcess child, DriverPort port) : IPollHandler
{

    public void Start()
    {
        if (child.PidFd is null)
        {
            port.ReportExit(child.Status ?? ExitStatus.Unknown);
            return;
        }
        Watch(port.Scheduler);
    }

    private void Watch(PollScheduler loop) => loop.Select(child.PidFd!, PollEvents.Readable, this);

    public void OnReady(PollRegistration registration, PollEvents events)
    {
        if (child.TryReap() is not { } status) return;
        registration.Deselect();
        port.ReportExit(status);
    }

    public void OnStopped(PollRegistration registration)
    {
        var fallback = PollScheduler.Default;
        if (child.Status is null && registration.Loop.IsDisposed && !ReferenceEquals(registration.Loop, fallback))
        {
            // The port's loop was disposed while the child runs: the process-wide loop takes over,
            // so the child is still reaped (no zombie) and the port's exit task still completes.
            fallback.Post(static w => w.Watch(PollScheduler.Default), this);
            return;
        }
        // Reaped: the pidfd is no longer needed.
        child.Dispose();
    }
}

using System.Runtime.CompilerServices;
using ReactivePorts.Polling;

namespace ReactivePorts.Testing.Virtual;

/// <summary>Poll loops in virtual time: the same <see cref="PollScheduler"/>, driven by a <see cref="TestScheduler"/> instead of a thread and epoll.</summary>
public static class VirtualTime
{
    private static readonly ConditionalWeakTable<PollScheduler, VirtualPollBackend> s_backends = new();

    /// <summary>
    /// Creates a poll scheduler whose clock is <paramref name="clock"/> and whose descriptors are
    /// in-memory devices (<see cref="VirtualPipe"/>). Nothing runs until the test scheduler
    /// advances; then timers, scheduled work and readiness run in virtual-time order, on the
    /// test's thread.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    [CLSCompliant(false)] // PollScheduler comes from ReactivePorts, which declares no CLS compliance
    public static PollScheduler CreatePollScheduler(this TestScheduler clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var backend = new VirtualPollBackend(clock);
        var loop = new PollScheduler(backend, new PollSchedulerOptions { SpinDuration = TimeSpan.Zero });
        backend.Attach(loop);
        s_backends.Add(loop, backend);
        return loop;
    }

    internal static VirtualPollBackend? BackendOf(PollScheduler scheduler) =>
        s_backends.TryGetValue(scheduler, out var backend) ? backend : null;
}

namespace ReactivePorts.Polling;

/// <summary>Settings for a <see cref="PollScheduler"/>.</summary>
public sealed record PollSchedulerOptions
{
    /// <summary>
    /// How long the loop keeps polling without blocking after it last had work, before it
    /// blocks in <c>epoll_wait</c>. Waking a blocked vCPU costs 70–90 µs on the VMs this was
    /// measured on, so a short spin keeps round trips fast while traffic flows; an idle loop
    /// blocks and costs nothing. Default 50 µs; <see cref="TimeSpan.Zero"/> never spins.
    /// </summary>
    public TimeSpan SpinDuration { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>The loop thread's name; a number is appended. Default "ReactivePorts Poll".</summary>
    public string ThreadName { get; init; } = "ReactivePorts Poll";

    /// <summary>The most readiness events taken from the kernel per wait. Default 256.</summary>
    public int MaxEventsPerWait { get; init; } = 256;
}

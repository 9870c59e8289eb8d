using ReactivePorts.Testing;
using ReactivePorts.Testing.Virtual;
using Supervision;

namespace ReactivePorts.Tests.Samples;

/// <summary>
/// The supervisor sample in virtual time: its children are scripted, its backoff is timed by the
/// world's scheduler, so minutes of crashes and restarts are asserted to the tick on the virtual
/// clock (each test takes milliseconds of real time).
/// </summary>
public sealed class SupervisorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly TestScheduler _clock = new();
    private readonly VirtualWorld _world;

    public SupervisorTests() => _world = new VirtualWorld(_clock);

    private static ChildScript Crashes(long after, int code = 1) => ChildScript.Idle.Write(10, "starting\n").Exit(after, code);

    private (ChildSupervisor Supervisor, List<SupervisorEvent> Events) Supervise(RestartPolicy policy)
    {
        var supervisor = new ChildSupervisor(Port.Spawn("worker"), _world.Scheduler, policy);
        var events = new List<SupervisorEvent>();
        supervisor.Events.Subscribe(events.Add);
        supervisor.Start();
        return (supervisor, events);
    }

    private long[] StartTicks() => [.. _world.ChildrenNamed("worker").Select(c => c.StartedAt)];

    [Fact]
    public void AlwaysCrashing_RestartsWithDoublingBackoff_GivesUpAfterFiveTries()
    {
        long crash = Second.Ticks; // each child runs one second, then exits 1
        _world.AddChild("worker", Crashes(crash));
        var (supervisor, events) = Supervise(new RestartPolicy(5, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
        _clock.AdvanceTo(TimeSpan.FromMinutes(10).Ticks);

        Assert.Equal(SupervisorOutcome.GaveUp, Done(supervisor.Outcome));
        Assert.Equal([10, 20, 40, 80], events.OfType<RestartScheduled>().Select(r => r.Delay.TotalSeconds));
        // Each start: the previous one's start + its second of running + the exit's report (1 tick) + the backoff.
        long[] starts = StartTicks();
        Assert.Equal(5, starts.Length);
        long[] gaps = [.. starts.Zip(starts.Skip(1), (a, b) => b - a)];
        Assert.Equal(new[] { 10, 20, 40, 80 }.Select(s => crash + 1 + TimeSpan.FromSeconds(s).Ticks), gaps);
        // Two and a half minutes of virtual time.
        long end = _world.Children[^1].ExitedAt!.Value;
        Assert.InRange(TimeSpan.FromTicks(end), TimeSpan.FromSeconds(155), TimeSpan.FromSeconds(156));
        Assert.Equal(5, events.OfType<ChildOutput>().Count(o => o.Line == "starting"));
        Assert.IsType<SupervisorFinished>(events[^1]);
    }

    [Fact]
    public void SucceedsOnTheThirdTry_StopsRestarting()
    {
        int tries = 0;
        _world.AddChild("worker", _ => ++tries < 3 ? Crashes(Second.Ticks) : ChildScript.Idle.Write(10, "done\n").Exit(Second.Ticks, 0));
        var (supervisor, events) = Supervise(new RestartPolicy(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)));
        _clock.AdvanceTo(TimeSpan.FromHours(1).Ticks);

        Assert.Equal(SupervisorOutcome.Succeeded, Done(supervisor.Outcome));
        Assert.Equal(3, StartTicks().Length);
        Assert.Equal([30, 60], events.OfType<RestartScheduled>().Select(r => r.Delay.TotalSeconds));
        Assert.Equal([ExitStatus.Exited(1), ExitStatus.Exited(1), ExitStatus.Exited(0)], events.OfType<ChildExited>().Select(e => e.Status));
        Assert.True(_world.Children[^1].ExitedAt > TimeSpan.FromSeconds(90).Ticks);
    }

    [Fact]
    public void Backoff_IsCappedAtTheMaximum()
    {
        _world.AddChild("worker", ChildScript.Idle.Die(100, 9)); // killed by SIGKILL each time
        var (supervisor, events) = Supervise(new RestartPolicy(7, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(45)));
        _clock.AdvanceTo(TimeSpan.FromHours(1).Ticks);

        Assert.Equal(SupervisorOutcome.GaveUp, Done(supervisor.Outcome));
        Assert.Equal([10, 20, 40, 45, 45, 45], events.OfType<RestartScheduled>().Select(r => r.Delay.TotalSeconds));
        Assert.All(events.OfType<ChildExited>(), e => Assert.Equal(9, e.Status.Signal));
        Assert.InRange(TimeSpan.FromTicks(StartTicks()[^1]), TimeSpan.FromSeconds(205), TimeSpan.FromSeconds(206));
    }

    [Fact]
    public void Dispose_WhileWaitingToRestart_NoMoreStarts()
    {
        _world.AddChild("worker", Crashes(Second.Ticks));
        var (supervisor, _) = Supervise(new RestartPolicy(5, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));
        _clock.AdvanceTo(TimeSpan.FromSeconds(30).Ticks); // the first crashed; the restart waits a minute
        supervisor.Dispose();
        _clock.AdvanceTo(TimeSpan.FromHours(1).Ticks);

        Assert.Single(StartTicks());
        Assert.Equal(SupervisorOutcome.Stopped, Done(supervisor.Outcome));
    }

    private static T Done<T>(Task<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, $"Not completed: {task.Status}.");
        return task.Result;
    }
}

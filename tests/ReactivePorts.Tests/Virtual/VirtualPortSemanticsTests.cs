using System.Reactive.Concurrency;
using ReactivePorts.Testing;
using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;
using static ReactivePorts.Tests.Virtual.VirtualTestKit;

namespace ReactivePorts.Tests.Virtual;

/// <summary>The port core's semantics (busy, close with flush, graceful stop) over scripted children, measured in virtual ticks.</summary>
public sealed class VirtualPortSemanticsTests
{
    /// <summary>As PortBusyLimitsTests.SuccessesOnAFullPipe with a real child: fill the pipe exactly, then 1000-byte writes until refused.</summary>
    private static (int Successes, Port Port, TestScheduler Clock, VirtualWorld World) FillAChildThatNeverReads(Func<SpawnSpec, SpawnSpec> limits, ChildScript? script = null)
    {
        var (clock, world) = NewWorld();
        world.AddChild("sleeper", script ?? ChildScript.Idle.NeverRead());
        var port = limits(Port.Spawn("sleeper").WithScheduler(world.Scheduler)).Open();
        port.Output.Subscribe(_ => { });
        clock.AdvanceBy(1);
        // All in one tick: the writes go straight to the pipe, and a slow reader's first read comes at the next tick.
        Assert.True(port.TryWrite(new byte[64 * 1024])); // the empty pipe takes it whole
        Assert.Equal(0, port.GetInfo().QueueSize);
        int successes = 0;
        while (successes < 100 && port.TryWrite(new byte[1000])) successes++;
        Assert.Equal(successes * 1000L, port.GetInfo().QueueSize);
        Assert.True(port.GetInfo().IsBusy);
        return (successes, port, clock, world);
    }

    [Fact]
    public void TryWrite_DefaultLimits_ExactlyNineThenBusy_AsWithARealChild() =>
        Assert.Equal(9, FillAChildThatNeverReads(s => s).Successes);

    [Theory]
    [InlineData(1024, 2048, 3)]
    [InlineData(5000, 6000, 6)]
    [InlineData(4000, 6000, 6)]
    public void TryWrite_WithBusyLimits_BusyFromTheWriteThatReachesHigh(long low, long high, int expected) =>
        Assert.Equal(expected, FillAChildThatNeverReads(s => s.WithBusyLimits(low, high)).Successes);

    [Fact]
    public void Busy_ASlowReader_ReadyExactlyWhenTheQueueFallsBelowTheLowMark()
    {
        // Reads 4096 bytes every 100 ticks from 100 on: the queue goes 9000 → 4904 → 808.
        var (_, port, clock, _) = FillAChildThatNeverReads(s => s, ChildScript.Idle.ReadSlowly(4096, 100));
        var changes = new List<(long Tick, bool Busy, long Queue)>();
        port.Busy.Subscribe(b => changes.Add((clock.Clock, b, port.GetInfo().QueueSize)));
        clock.AdvanceTo(10_000);
        Assert.Equal((false, 808L), (changes[^1].Busy, changes[^1].Queue));
        // The busy state is published on the loop (at the next tick), after Busy's first value.
        Assert.Equal([false, true, false], changes.Select(c => c.Busy));
        Assert.Equal(0, port.GetInfo().QueueSize);
    }

    [Fact]
    public void CloseAsync_SlowReader_FlushesEverythingBeforeClosing()
    {
        var (_, port, clock, world) = FillAChildThatNeverReads(s => s, ChildScript.Idle.ReadSlowly(8192, 1000));
        var close = port.CloseAsync();
        clock.AdvanceBy(100);
        Assert.False(close.IsCompleted); // still flushing: the child has not made room yet
        clock.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);
        Assert.Equal(0, Done(close)); // nothing left unwritten
        var child = world.Children[0];
        Assert.Equal(64 * 1024 + 9000, child.ReceivedBytes.Length); // every byte reached the child, then end of file
        Assert.NotNull(child.InputEndedAt);
        Assert.True(child.Received[^1].Time < TimeSpan.FromSeconds(4).Ticks);
    }

    [Fact]
    public void CloseAsync_ChildNeverReads_GivesUpAtTheFlushTimeout_ReportingWhatWasLeft()
    {
        var (_, port, clock, _) = FillAChildThatNeverReads(s => s.WithFlushTimeout(TimeSpan.FromTicks(5000)));
        long start = clock.Clock;
        var close = port.CloseAsync();
        clock.AdvanceBy(4999);
        Assert.False(close.IsCompleted);
        clock.AdvanceBy(2);
        Assert.Equal(9000, Done(close)); // the queue, dropped
        Assert.Equal(PortState.Closed, port.State);
        Assert.InRange(clock.Clock - start, 5000, 5001);
    }

    [Fact]
    public async Task StopAsync_ChildHandlesSigterm_ExitsWithinTheGracePeriod_NoKill()
    {
        var (clock, world) = NewWorld();
        world.AddChild("polite", ChildScript.Idle.OnSignal(15, c => c.After(200, x => x.Exit(0))));
        var port = Port.Spawn("polite").WithScheduler(world.Scheduler).Open();
        port.Output.Subscribe(_ => { });
        clock.AdvanceTo(1000);
        var stop = port.StopAsync(TimeSpan.FromTicks(500));
        clock.AdvanceTo(10_000);
        Assert.Equal(ExitStatus.Exited(0), await stop.WaitAsync(TimeSpan.FromSeconds(5)));
        var child = world.Children[0];
        Assert.Equal([(1000L, 15)], child.Signals.Select(s => (s.Time, s.Value)));
        Assert.Equal(1200, child.ExitedAt); // the handler runs as the signal comes, and exits 200 ticks later
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresSigterm_KilledExactlyWhenTheGracePeriodEnds()
    {
        var (clock, world) = NewWorld();
        world.AddChild("stubborn", ChildScript.Idle.IgnoreSignal(15));
        var port = Port.Spawn("stubborn").WithScheduler(world.Scheduler).Open();
        port.Output.Subscribe(_ => { });
        clock.AdvanceTo(1000);
        var stop = port.StopAsync(TimeSpan.FromSeconds(30));
        clock.AdvanceTo(1000 + TimeSpan.FromSeconds(30).Ticks - 10);
        Assert.False(stop.IsCompleted);
        Assert.True(world.Children[0].IsRunning);
        clock.AdvanceTo(1000 + TimeSpan.FromSeconds(31).Ticks);
        var status = await stop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(9, status.Signal);
        var child = world.Children[0];
        long killedAt = child.Signals[1].Time;
        Assert.Equal([15, 9], child.Signals.Select(s => s.Value));
        Assert.InRange(killedAt - 1000, TimeSpan.FromSeconds(30).Ticks, TimeSpan.FromSeconds(30).Ticks + 1);
        Assert.Equal(killedAt, child.ExitedAt);
    }
}

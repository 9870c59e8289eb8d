using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using CsCheck;

namespace ReactivePorts.Testing.Tests;

public class TestSchedulerClockTests
{
    /// <summary>Schedules a recorder of the clock at an absolute time.</summary>
    private static List<long> RunAt(TestScheduler scheduler, params long[] dueTimes)
    {
        var ranAt = new List<long>();
        foreach (var due in dueTimes)
        {
            scheduler.ScheduleAbsolute(ranAt, due, (s, log) =>
            {
                log.Add(((TestScheduler)s).Clock);
                return Disposable.Empty;
            });
        }

        return ranAt;
    }

    [Fact]
    public void Clock_NewScheduler_IsZero()
    {
        var scheduler = new TestScheduler();

        Assert.Equal(0, scheduler.Clock);
        Assert.False(scheduler.IsEnabled);
    }

    [Fact]
    public void ScheduleAbsolute_DueTimeInFuture_RunsExactlyAtDueTime()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(100);

        var ranAt = RunAt(scheduler, 250);
        scheduler.Start();

        Assert.Equal([250L], ranAt);
        Assert.Equal(250, scheduler.Clock);
    }

    [Fact]
    public void ScheduleAbsolute_DueTimeInPast_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(500);

        var ranAt = RunAt(scheduler, 100);
        scheduler.Start();

        Assert.Equal([501L], ranAt);
    }

    [Fact]
    public void ScheduleAbsolute_DueTimeEqualToClock_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(500);

        var ranAt = RunAt(scheduler, 500);
        scheduler.Start();

        Assert.Equal([501L], ranAt);
    }

    [Fact]
    public void ScheduleAbsolute_AtClockZero_RunsAtOne()
    {
        var scheduler = new TestScheduler();

        var ranAt = RunAt(scheduler, 0, -10);
        scheduler.Start();

        Assert.Equal([1L, 1L], ranAt);
    }

    [Fact]
    public void ScheduleAbsolute_AnyClockAndDueTime_RunsAtLaterOfDueTimeAndClockPlusOne()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[-1_000, 2_000_000]).Sample((clock, due) =>
        {
            var scheduler = new TestScheduler();
            scheduler.AdvanceTo(clock);

            var ranAt = RunAt(scheduler, due);
            scheduler.Start();

            Assert.Equal([Math.Max(due, clock + 1)], ranAt);
        });
    }

    [Fact]
    public void ScheduleAbsolute_SameDueTime_RunsInSchedulingOrder()
    {
        var scheduler = new TestScheduler();
        var order = new List<string>();

        scheduler.ScheduleAbsolute(order, 300, (_, o) => { o.Add("first"); return Disposable.Empty; });
        scheduler.ScheduleAbsolute(order, 200, (_, o) => { o.Add("earlier"); return Disposable.Empty; });
        scheduler.ScheduleAbsolute(order, 300, (_, o) => { o.Add("second"); return Disposable.Empty; });
        scheduler.Start();

        Assert.Equal(["earlier", "first", "second"], order);
    }

    [Fact]
    public void ScheduleAbsolute_NullAction_ThrowsArgumentNullException()
    {
        var scheduler = new TestScheduler();

        var ex = Assert.Throws<ArgumentNullException>(
            () => scheduler.ScheduleAbsolute(0, 10, (Func<IScheduler, int, IDisposable>)null!));
        Assert.Equal("action", ex.ParamName);
    }

    [Fact]
    public void ScheduleAbsolute_DisposedBeforeDue_DoesNotRun()
    {
        var scheduler = new TestScheduler();
        var ran = false;

        var handle = scheduler.ScheduleAbsolute(0, 10, (_, _) => { ran = true; return Disposable.Empty; });
        handle.Dispose();
        scheduler.Start();

        Assert.False(ran);
    }

    [Fact]
    public void ScheduleRelative_Zero_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(40);
        long? ranAt = null;

        scheduler.ScheduleRelative(0, 0L, (s, _) => { ranAt = s.Now.Ticks; return Disposable.Empty; });
        scheduler.Start();

        Assert.Equal(41, ranAt);
    }

    [Fact]
    public void ScheduleRelative_Positive_RunsAtClockPlusDelay()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(40);
        long? ranAt = null;

        scheduler.ScheduleRelative(0, 60L, (_, _) => { ranAt = scheduler.Clock; return Disposable.Empty; });
        scheduler.Start();

        Assert.Equal(100, ranAt);
    }

    [Fact]
    public void Schedule_Immediate_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(7);
        long? ranAt = null;

        ((IScheduler)scheduler).Schedule(() => ranAt = scheduler.Clock);
        scheduler.Start();

        Assert.Equal(8, ranAt);
    }

    [Fact]
    public void Schedule_TimeSpan_DelaysByTimeSpanTicks()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(10);
        var ranAt = new List<long>();

        ((IScheduler)scheduler).Schedule(TimeSpan.FromTicks(30), () => ranAt.Add(scheduler.Clock));
        ((IScheduler)scheduler).Schedule(TimeSpan.FromMilliseconds(1), () => ranAt.Add(scheduler.Clock));
        scheduler.Start();

        Assert.Equal([40L, 10 + TimeSpan.TicksPerMillisecond], ranAt);
    }

    [Fact]
    public void Schedule_NegativeTimeSpan_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(10);
        long? ranAt = null;

        ((IScheduler)scheduler).Schedule(TimeSpan.FromTicks(-5), () => ranAt = scheduler.Clock);
        scheduler.Start();

        Assert.Equal(11, ranAt);
    }

    [Fact]
    public void Schedule_DateTimeOffset_RunsAtItsUtcTicks()
    {
        var scheduler = new TestScheduler();
        long? ranAt = null;

        ((IScheduler)scheduler).Schedule(new DateTimeOffset(250, TimeSpan.Zero), () => ranAt = scheduler.Clock);
        scheduler.Start();

        Assert.Equal(250, ranAt);
    }

    [Fact]
    public void Now_AtAnyClock_IsUtcDateTimeOffsetWithClockTicks()
    {
        var scheduler = new TestScheduler();
        Assert.Equal(DateTimeOffset.MinValue, scheduler.Now);

        scheduler.AdvanceTo(TimeSpan.TicksPerDay + 5);

        Assert.Equal(new DateTimeOffset(TimeSpan.TicksPerDay + 5, TimeSpan.Zero), scheduler.Now);
        Assert.Equal(TimeSpan.Zero, scheduler.Now.Offset);
    }

    [Fact]
    public void AdvanceBy_RunsDueWorkAndMovesClock()
    {
        var scheduler = new TestScheduler();
        var ranAt = RunAt(scheduler, 50, 150);

        scheduler.AdvanceBy(100);

        Assert.Equal([50L], ranAt);
        Assert.Equal(100, scheduler.Clock);
    }
}

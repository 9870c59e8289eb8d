using System.Reactive.Linq;

namespace ReactivePorts.Testing.Tests;

/// <summary>
/// Real Rx time-based operators driven by the <see cref="TestScheduler"/>: every result is at an
/// exact virtual tick, and the same test gives the same result on every run.
/// </summary>
public class RxOperatorTests : ReactiveTest
{
    private static TimeSpan Ticks(long ticks) => TimeSpan.FromTicks(ticks);

    [Fact]
    public void Throttle_Bursts_EmitsLastValueAfterQuietPeriod()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(
            OnNext(210, 1), OnNext(240, 2), OnNext(300, 3), OnNext(400, 4), OnNext(410, 5), OnCompleted<int>(500));

        var res = scheduler.Start(() => xs.Throttle(Ticks(50), scheduler));

        res.Messages.AssertEqual(OnNext(290, 2), OnNext(350, 3), OnNext(460, 5), OnCompleted<int>(500));
        xs.Subscriptions.AssertEqual(Subscribe(200, 500));
    }

    [Fact]
    public void Throttle_CompletionDuringQuietPeriod_FlushesPendingValue()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(210, 1), OnCompleted<int>(230));

        var res = scheduler.Start(() => xs.Throttle(Ticks(50), scheduler));

        res.Messages.AssertEqual(OnNext(230, 1), OnCompleted<int>(230));
    }

    [Fact]
    public void Buffer_TimeSpan_EmitsEachWindowAndTheRestOnCompletion()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(
            OnNext(210, 1), OnNext(240, 2), OnNext(320, 3), OnNext(420, 4), OnNext(430, 5), OnCompleted<int>(550));

        var res = scheduler.Start(() => xs.Buffer(Ticks(100), scheduler));

        res.Messages.AssertEqual(
            OnNext<IList<int>>(300, b => b.SequenceEqual([1, 2])),
            OnNext<IList<int>>(400, b => b.SequenceEqual([3])),
            OnNext<IList<int>>(500, b => b.SequenceEqual([4, 5])),
            OnNext<IList<int>>(550, b => b.Count == 0),
            OnCompleted<IList<int>>(550));
        xs.Subscriptions.AssertEqual(Subscribe(200, 550));
    }

    [Fact]
    public void Buffer_Count_GroupsByCount()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1), OnNext(20, 2), OnNext(30, 3), OnCompleted<int>(40));

        var res = scheduler.Start(() => xs.Buffer(2));

        res.Messages.AssertEqual(
            OnNext<IList<int>>(220, b => b.SequenceEqual([1, 2])),
            OnNext<IList<int>>(240, b => b.SequenceEqual([3])),
            OnCompleted<IList<int>>(240));
    }

    [Fact]
    public void Timeout_GapLongerThanDueTime_ErrorsWithTimeoutException()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(250, 1), OnNext(320, 2), OnNext(500, 3));

        var res = scheduler.Start(() => xs.Timeout(Ticks(100), scheduler));

        res.Messages.AssertEqual(OnNext(250, 1), OnNext(320, 2), OnError<int>(420, e => e is TimeoutException));
        xs.Subscriptions.AssertEqual(Subscribe(200, 420));
    }

    [Fact]
    public void Timeout_WithOther_SwitchesToOtherAtTimeout()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(250, 1), OnNext(400, 2));
        var ys = scheduler.CreateColdObservable(OnNext(5, -1), OnCompleted<int>(10));

        var res = scheduler.Start(() => xs.Timeout(Ticks(100), ys, scheduler));

        res.Messages.AssertEqual(OnNext(250, 1), OnNext(355, -1), OnCompleted<int>(360));
        xs.Subscriptions.AssertEqual(Subscribe(200, 350));
        ys.Subscriptions.AssertEqual(Subscribe(350, 360));
    }

    [Fact]
    public void Delay_TimeSpan_ShiftsValuesAndCompletion()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(250, 1), OnNext(300, 2), OnCompleted<int>(400));

        var res = scheduler.Start(() => xs.Delay(Ticks(100), scheduler));

        res.Messages.AssertEqual(OnNext(350, 1), OnNext(400, 2), OnCompleted<int>(500));
    }

    [Fact]
    public void Delay_ErrorFromSource_IsNotDelayed()
    {
        var scheduler = new TestScheduler();
        var error = new InvalidOperationException();
        var xs = scheduler.CreateHotObservable(OnNext(250, 1), OnError<int>(300, error));

        var res = scheduler.Start(() => xs.Delay(Ticks(100), scheduler));

        res.Messages.AssertEqual(OnError<int>(300, error));
    }

    [Fact]
    public void Interval_UntilDisposed_TicksEveryPeriodAfterSubscription()
    {
        var scheduler = new TestScheduler();

        var res = scheduler.Start(() => Observable.Interval(Ticks(100), scheduler));

        // The tick due at 1000 loses to the disposal that Start scheduled at 1000 first.
        res.Messages.AssertEqual(
            OnNext(300, 0L), OnNext(400, 1L), OnNext(500, 2L), OnNext(600, 3L),
            OnNext(700, 4L), OnNext(800, 5L), OnNext(900, 6L));
        Assert.Equal(1000, scheduler.Clock);
    }

    [Fact]
    public void Timer_DueTime_EmitsZeroThenCompletes()
    {
        var scheduler = new TestScheduler();

        var res = scheduler.Start(() => Observable.Timer(Ticks(150), scheduler));

        res.Messages.AssertEqual(OnNext(350, 0L), OnCompleted<long>(350));
    }

    [Fact]
    public void Sample_Period_EmitsLatestValuePerPeriod()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(
            OnNext(210, 1), OnNext(230, 2), OnNext(310, 3), OnNext(430, 4), OnCompleted<int>(480));

        var res = scheduler.Start(() => xs.Sample(Ticks(100), scheduler));

        // Rx.NET's Sample waits for the next tick after the source completes (at 480) to emit the
        // last value and complete, but lets go of the source at once.
        res.Messages.AssertEqual(OnNext(300, 2), OnNext(400, 3), OnNext(500, 4), OnCompleted<int>(500));
        xs.Subscriptions.AssertEqual(Subscribe(200, 480));
    }

    [Fact]
    public void Retry_ColdSourceFailsOnce_ResubscribesAndRecordsBothSubscriptions()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1), OnError<int>(20, new InvalidOperationException()));

        var res = scheduler.Start(() => xs.Retry(2));

        res.Messages.AssertEqual(OnNext(210, 1), OnNext(230, 1), OnError<int>(240, e => e is InvalidOperationException));
        xs.Subscriptions.AssertEqual(Subscribe(200, 220), Subscribe(220, 240));
    }

    [Fact]
    public void Start_SameScenarioTwice_GivesIdenticalRecordings()
    {
        static IList<Recorded<System.Reactive.Notification<int>>> Run()
        {
            var scheduler = new TestScheduler();
            var xs = scheduler.CreateHotObservable(OnNext(210, 1), OnNext(240, 2), OnNext(400, 3), OnCompleted<int>(600));
            return scheduler.Start(() => xs.Throttle(Ticks(30), scheduler).Delay(Ticks(7), scheduler)).Messages;
        }

        Run().AssertEqual(Run());
        Run().AssertEqual(OnNext(277, 2), OnNext(437, 3), OnCompleted<int>(607));
    }
}

using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace ReactivePorts.Testing.Tests;

public class TestSchedulerStartTests : ReactiveTest
{
    /// <summary>When the factory ran, and when the sequence was subscribed and disposed.</summary>
    private sealed class Probe(TestScheduler scheduler)
    {
        public List<string> Log { get; } = [];

        public IObservable<int> Create()
        {
            Log.Add($"create@{scheduler.Clock}");
            return Observable.Create<int>(_ =>
            {
                Log.Add($"subscribe@{scheduler.Clock}");
                return Disposable.Create(() => Log.Add($"dispose@{scheduler.Clock}"));
            });
        }
    }

    [Fact]
    public void Start_CreateOnly_CreatesAt100SubscribesAt200DisposesAt1000()
    {
        var scheduler = new TestScheduler();
        var probe = new Probe(scheduler);

        scheduler.Start(probe.Create);

        Assert.Equal(["create@100", "subscribe@200", "dispose@1000"], probe.Log);
        Assert.Equal(1000, scheduler.Clock);
    }

    [Fact]
    public void Start_WithDisposed_UsesDefaultCreateAndSubscribeTimes()
    {
        var scheduler = new TestScheduler();
        var probe = new Probe(scheduler);

        scheduler.Start(probe.Create, 450);

        Assert.Equal(["create@100", "subscribe@200", "dispose@450"], probe.Log);
    }

    [Fact]
    public void Start_WithAllTimes_UsesGivenTimes()
    {
        var scheduler = new TestScheduler();
        var probe = new Probe(scheduler);

        scheduler.Start(probe.Create, 10, 20, 30);

        Assert.Equal(["create@10", "subscribe@20", "dispose@30"], probe.Log);
    }

    [Fact]
    public void Start_SameTimeForAllSteps_RunsStepsInOrder()
    {
        var scheduler = new TestScheduler();
        var probe = new Probe(scheduler);

        scheduler.Start(probe.Create, 50, 50, 50);

        Assert.Equal(["create@50", "subscribe@50", "dispose@50"], probe.Log);
    }

    [Fact]
    public void Start_ClockAlreadyPastAllTimes_RunsEachStepAtNextTick()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(2000);
        var probe = new Probe(scheduler);

        scheduler.Start(probe.Create);

        Assert.Equal(["create@2001", "subscribe@2001", "dispose@2001"], probe.Log);
    }

    [Fact]
    public void Start_NullCreate_ThrowsArgumentNullExceptionForEveryOverload()
    {
        var scheduler = new TestScheduler();

        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => scheduler.Start<int>(null!)).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => scheduler.Start<int>(null!, 500)).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => scheduler.Start<int>(null!, 1, 2, 3)).ParamName);
        Assert.Equal(0, scheduler.Clock);
    }

    [Fact]
    public void Start_HotSource_RecordsOnlyWhatArrivesWhileSubscribed()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(
            OnNext(150, 1), OnNext(200, 2), OnNext(210, 3), OnNext(999, 4), OnNext(1000, 5), OnNext(1100, 6));

        var res = scheduler.Start(() => xs);

        // At 200 the hot message (scheduled first) fires before the subscription; at 1000 the
        // disposal (scheduled by Start before the run) still comes after the message scheduled at creation.
        res.Messages.AssertEqual(OnNext(210, 3), OnNext(999, 4), OnNext(1000, 5));
        xs.Subscriptions.AssertEqual(Subscribe(200, 1000));
        Assert.Equal(1100, scheduler.Clock);
    }

    [Fact]
    public void Start_SourceCompletes_RecordsCompletionAndUpstreamEnd()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(300, "a"), OnCompleted<string>(400));

        var res = scheduler.Start(() => xs.Select(s => s.ToUpperInvariant()));

        res.Messages.AssertEqual(OnNext(300, "A"), OnCompleted<string>(400));
        xs.Subscriptions.AssertEqual(Subscribe(200, 400));
    }

    [Fact]
    public void Start_FactoryReturnsNull_ThrowsInvalidOperationException()
    {
        var scheduler = new TestScheduler();

        var ex = Assert.Throws<InvalidOperationException>(() => scheduler.Start<int>(() => null!));

        Assert.Contains("returned null", ex.Message, StringComparison.Ordinal);
        Assert.Equal(100, scheduler.Clock);
    }

    [Theory]
    [InlineData(300, 200, 1000, "subscribed")]
    [InlineData(100, 200, 150, "disposed")]
    [InlineData(300, 300, 250, "disposed")]
    [InlineData(500, 400, 300, "subscribed")]
    public void Start_TimesOutOfOrder_ThrowsArgumentOutOfRangeExceptionLeavingSchedulerUntouched(
        long created, long subscribed, long disposed, string paramName)
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(50);
        var ran = new List<long>();
        scheduler.ScheduleAbsolute(ran, 70, (s, log) => { log.Add(s.Now.Ticks); return Disposable.Empty; });
        var factoryCalls = 0;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => scheduler.Start(() => { factoryCalls++; return Observable.Never<int>(); }, created, subscribed, disposed));

        Assert.Equal(paramName, ex.ParamName);
        Assert.Equal(50, scheduler.Clock);
        // Only the work queued before the call is left: the run ends at 70, and the factory never ran.
        scheduler.Start();
        Assert.Equal([70L], ran);
        Assert.Equal(70, scheduler.Clock);
        Assert.Equal(0, factoryCalls);
    }

    [Fact]
    public void Start_NullCreateAndTimesOutOfOrder_ReportsCreateFirst()
    {
        var scheduler = new TestScheduler();

        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => scheduler.Start<int>(null!, 300, 200, 100)).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => scheduler.Start<int>(null!, 50)).ParamName);
    }

    [Fact]
    public void Start_DisposedBeforeDefaultSubscription_ThrowsArgumentOutOfRangeException()
    {
        var scheduler = new TestScheduler();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Start(() => Observable.Never<int>(), 150));

        Assert.Equal("disposed", ex.ParamName);
        Assert.Equal(0, scheduler.Clock);
    }
}

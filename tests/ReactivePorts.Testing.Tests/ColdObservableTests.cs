using System.Reactive;
using System.Reactive.Disposables;

namespace ReactivePorts.Testing.Tests;

public class ColdObservableTests : ReactiveTest
{
    private static void At(TestScheduler scheduler, long time, Action action) =>
        scheduler.ScheduleAbsolute(action, time, (_, a) => { a(); return Disposable.Empty; });

    [Fact]
    public void CreateColdObservable_NullMessages_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new TestScheduler().CreateColdObservable<int>(null!));

        Assert.Equal("messages", ex.ParamName);
    }

    [Fact]
    public void Subscribe_NullObserver_ThrowsArgumentNullException()
    {
        var xs = new TestScheduler().CreateColdObservable(OnNext(10, 1));

        Assert.Throws<ArgumentNullException>(() => xs.Subscribe(null!));
    }

    [Fact]
    public void Messages_AfterCreation_IsTheGivenArrayItself()
    {
        Recorded<Notification<int>>[] messages = [OnNext(10, 1), OnCompleted<int>(20)];

        var xs = new TestScheduler().CreateColdObservable(messages);

        Assert.Same(messages, xs.Messages);
        xs.Messages[0] = OnNext(15, 2);
        Assert.Equal(OnNext(15, 2), messages[0]);
    }

    [Fact]
    public void Subscribe_AfterMessagesChanged_ReplaysTheChangedMessages()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1), OnCompleted<int>(20));

        // Each subscription reads the list as it is then, as in Microsoft.Reactive.Testing.
        xs.Messages[0] = OnNext(15, 2);
        var res = scheduler.Start(() => xs);

        res.Messages.AssertEqual(OnNext(215, 2), OnCompleted<int>(220));
    }

    [Fact]
    public void CreateColdObservable_NoSubscription_SchedulesNothing()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1), OnCompleted<int>(20));

        scheduler.Start();

        Assert.Equal(0, scheduler.Clock);
        Assert.Empty(xs.Subscriptions);
        xs.Messages.AssertEqual(OnNext(10, 1), OnCompleted<int>(20));
    }

    [Fact]
    public void Start_ColdSource_DeliversRelativeToSubscriptionTime()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1), OnNext(50, 2), OnCompleted<int>(70));

        var res = scheduler.Start(() => xs);

        res.Messages.AssertEqual(OnNext(210, 1), OnNext(250, 2), OnCompleted<int>(270));
        xs.Subscriptions.AssertEqual(Subscribe(200, 1000));
    }

    [Fact]
    public void Subscribe_TwoSubscribersAtDifferentTimes_EachGetsItsOwnTimeline()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 'a'), OnNext(20, 'b'));
        var first = scheduler.CreateObserver<char>();
        var second = scheduler.CreateObserver<char>();

        At(scheduler, 100, () => xs.Subscribe(first));
        At(scheduler, 105, () => xs.Subscribe(second));
        scheduler.Start();

        first.Messages.AssertEqual(OnNext(110, 'a'), OnNext(120, 'b'));
        second.Messages.AssertEqual(OnNext(115, 'a'), OnNext(125, 'b'));
        xs.Subscriptions.AssertEqual(Subscribe(100), Subscribe(105));
    }

    [Fact]
    public void Subscribe_MessageAtZero_DeliveredAtSubscriptionPlusOne()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(0, 1), OnNext(1, 2));

        var res = scheduler.Start(() => xs);

        res.Messages.AssertEqual(OnNext(201, 1), OnNext(201, 2));
    }

    [Fact]
    public void Dispose_BeforeMessagesDue_CancelsThemAndRecordsEnd()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(100, 1), OnNext(300, 2), OnCompleted<int>(400));

        var res = scheduler.Start(() => xs, 450);

        res.Messages.AssertEqual(OnNext(300, 1));
        xs.Subscriptions.AssertEqual(Subscribe(200, 450));
        Assert.Equal(450, scheduler.Clock);
    }

    [Fact]
    public void Subscriptions_Resubscribe_RecordsEachSubscription()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 1));
        var observer = scheduler.CreateObserver<int>();
        IDisposable? subscription = null;

        At(scheduler, 100, () => subscription = xs.Subscribe(observer));
        At(scheduler, 130, () => subscription!.Dispose());
        At(scheduler, 200, () => subscription = xs.Subscribe(observer));
        At(scheduler, 205, () => subscription!.Dispose());
        scheduler.Start();

        observer.Messages.AssertEqual(OnNext(110, 1));
        xs.Subscriptions.AssertEqual(Subscribe(100, 130), Subscribe(200, 205));
    }
}

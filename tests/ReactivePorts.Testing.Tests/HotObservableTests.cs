using System.Reactive;
using System.Reactive.Disposables;

namespace ReactivePorts.Testing.Tests;

public class HotObservableTests : ReactiveTest
{
    private static void At(TestScheduler scheduler, long time, Action action) =>
        scheduler.ScheduleAbsolute(action, time, (_, a) => { a(); return Disposable.Empty; });

    [Fact]
    public void CreateHotObservable_NullMessages_ThrowsArgumentNullException()
    {
        var scheduler = new TestScheduler();

        var ex = Assert.Throws<ArgumentNullException>(() => scheduler.CreateHotObservable<int>(null!));
        Assert.Equal("messages", ex.ParamName);
    }

    [Fact]
    public void Subscribe_NullObserver_ThrowsArgumentNullException()
    {
        var xs = new TestScheduler().CreateHotObservable<int>();

        Assert.Throws<ArgumentNullException>(() => xs.Subscribe(null!));
    }

    [Fact]
    public void Messages_AfterCreation_IsTheGivenArrayItself()
    {
        Recorded<Notification<char>>[] messages = [OnNext(10, 'a'), OnCompleted<char>(20)];

        var xs = new TestScheduler().CreateHotObservable(messages);

        // Microsoft.Reactive.Testing hands back the params array, not a copy: same instance,
        // fixed size (so IsReadOnly, as for any array), elements writable.
        Assert.Same(messages, xs.Messages);
        xs.Messages[0] = OnNext(5, 'b');
        Assert.Equal(OnNext(5, 'b'), messages[0]);
    }

    [Fact]
    public void CreateHotObservable_MessagesArrayChangedLater_DeliveryUnaffectedMessagesShowChange()
    {
        var scheduler = new TestScheduler();
        Recorded<Notification<int>>[] messages = [OnNext(300, 1)];
        var xs = scheduler.CreateHotObservable(messages);

        messages[0] = OnNext(400, 2);
        var res = scheduler.Start(() => xs);

        // Delivery was scheduled at creation, so it keeps the original; Messages is the array.
        res.Messages.AssertEqual(OnNext(300, 1));
        xs.Messages.AssertEqual(OnNext(400, 2));
    }

    [Fact]
    public void Subscribe_BeforeDispose_RecordsInfiniteEnd()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable<int>();
        var observer = scheduler.CreateObserver<int>();

        scheduler.AdvanceTo(250);
        var subscription = xs.Subscribe(observer);

        xs.Subscriptions.AssertEqual(Subscribe(250));
        Assert.Equal(Subscription.Infinite, xs.Subscriptions[0].Unsubscribe);

        scheduler.AdvanceTo(400);
        subscription.Dispose();

        xs.Subscriptions.AssertEqual(Subscribe(250, 400));
    }

    [Fact]
    public void Dispose_Twice_KeepsFirstEnd()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable<int>();

        var subscription = xs.Subscribe(scheduler.CreateObserver<int>());
        scheduler.AdvanceTo(10);
        subscription.Dispose();
        scheduler.AdvanceTo(20);
        subscription.Dispose();

        xs.Subscriptions.AssertEqual(Subscribe(0, 10));
    }

    [Fact]
    public void Messages_DeliveredAtAbsoluteTimes_OnlyToCurrentSubscribers()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(
            OnNext(100, 1), OnNext(200, 2), OnNext(300, 3), OnNext(400, 4), OnNext(500, 5), OnCompleted<int>(600));
        var early = scheduler.CreateObserver<int>();
        var late = scheduler.CreateObserver<int>();
        IDisposable? earlySubscription = null;

        At(scheduler, 150, () => earlySubscription = xs.Subscribe(early));
        At(scheduler, 350, () => xs.Subscribe(late));
        At(scheduler, 450, () => earlySubscription!.Dispose());
        scheduler.Start();

        early.Messages.AssertEqual(OnNext(200, 2), OnNext(300, 3), OnNext(400, 4));
        late.Messages.AssertEqual(OnNext(400, 4), OnNext(500, 5), OnCompleted<int>(600));
        xs.Subscriptions.AssertEqual(Subscribe(150, 450), Subscribe(350));
    }

    [Fact]
    public void CreateHotObservable_MessageTimeNotAfterClock_DeliveredAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        scheduler.AdvanceTo(300);
        var observer = scheduler.CreateObserver<int>();

        var xs = scheduler.CreateHotObservable(OnNext(100, 1), OnNext(300, 2), OnNext(350, 3));
        xs.Subscribe(observer);
        scheduler.Start();

        observer.Messages.AssertEqual(OnNext(301, 1), OnNext(301, 2), OnNext(350, 3));
    }

    [Fact]
    public void CreateHotObservable_NoSubscribers_StillSchedulesMessages()
    {
        var scheduler = new TestScheduler();
        scheduler.CreateHotObservable(OnNext(700, 1));

        scheduler.Start();

        Assert.Equal(700, scheduler.Clock);
    }

    [Fact]
    public void Messages_ObserverUnsubscribesWhileNotified_OthersStillNotified()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(100, 1), OnNext(200, 2));
        var second = scheduler.CreateObserver<int>();
        IDisposable? first = null;
        var firstSeen = new List<int>();
        first = xs.Subscribe(Observer.Create<int>(x => { firstSeen.Add(x); first!.Dispose(); }));
        xs.Subscribe(second);

        scheduler.Start();

        Assert.Equal([1], firstSeen);
        second.Messages.AssertEqual(OnNext(100, 1), OnNext(200, 2));
        xs.Subscriptions.AssertEqual(Subscribe(0, 100), Subscribe(0));
    }

    [Fact]
    public void Messages_PredicateNotification_ThrowsNotSupportedExceptionWhenSent()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext<int>(100, x => x > 0));
        xs.Subscribe(scheduler.CreateObserver<int>());

        Assert.Throws<NotSupportedException>(() => scheduler.Start());
    }
}

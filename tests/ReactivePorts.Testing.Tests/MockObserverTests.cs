using System.Reactive;

namespace ReactivePorts.Testing.Tests;

public class MockObserverTests : ReactiveTest
{
    [Fact]
    public void CreateObserver_Notifications_RecordedWithClockAtArrival()
    {
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<int>();
        var error = new InvalidOperationException("boom");

        observer.OnNext(1);
        scheduler.AdvanceTo(30);
        observer.OnNext(2);
        observer.OnError(error);
        scheduler.AdvanceTo(40);
        observer.OnCompleted();

        observer.Messages.AssertEqual(OnNext(0, 1), OnNext(30, 2), OnError<int>(30, error), OnCompleted<int>(40));
        Assert.Equal(NotificationKind.OnError, observer.Messages[2].Value.Kind);
        Assert.Same(error, observer.Messages[2].Value.Exception);
    }

    [Fact]
    public void CreateObserver_EachCall_ReturnsNewEmptyObserver()
    {
        var scheduler = new TestScheduler();
        var a = scheduler.CreateObserver<string>();
        var b = scheduler.CreateObserver<string>();

        a.OnNext("x");

        Assert.NotSame(a, b);
        Assert.Single(a.Messages);
        Assert.Empty(b.Messages);
    }

    [Fact]
    public void Messages_Clear_StartsAFreshRecording()
    {
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<int>();
        observer.OnNext(1);

        observer.Messages.Clear();
        observer.OnNext(2);

        observer.Messages.AssertEqual(OnNext(0, 2));
    }
}

using System.Reactive;

namespace ReactivePorts.Testing.Tests;

public class ReactiveTestTests : ReactiveTest
{
    [Fact]
    public void Constants_Defaults_Are100And200And1000()
    {
        Assert.Equal(100, Created);
        Assert.Equal(200, Subscribed);
        Assert.Equal(1000, Disposed);
    }

    [Fact]
    public void OnNext_Value_RecordsOnNextNotificationAtTicks()
    {
        var r = OnNext(42, "x");

        Assert.Equal(42, r.Time);
        Assert.Equal(Notification.CreateOnNext("x"), r.Value);
        Assert.Equal(NotificationKind.OnNext, r.Value.Kind);
    }

    [Fact]
    public void OnNext_Predicate_EqualsMatchingOnNextOnly()
    {
        var expected = OnNext<int>(10, x => x % 2 == 0);

        Assert.True(expected.Equals(OnNext(10, 4)));
        Assert.False(expected.Equals(OnNext(10, 3)));
        Assert.False(expected.Equals(OnNext(11, 4)));
        Assert.False(expected.Equals(OnCompleted<int>(10)));
        Assert.False(expected.Equals(OnError<int>(10, new InvalidOperationException())));
        Assert.Equal(NotificationKind.OnNext, expected.Value.Kind);
    }

    [Fact]
    public void OnNext_Predicate_WorksWithAssertEqual()
    {
        var actual = new[] { OnNext(10, 4), OnCompleted<int>(20) };

        actual.AssertEqual(OnNext<int>(10, x => x > 3), OnCompleted<int>(20));
        Assert.Throws<ReactiveAssertionException>(() => actual.AssertEqual(OnNext<int>(10, x => x > 4), OnCompleted<int>(20)));
    }

    [Fact]
    public void OnNext_Predicate_ValueAndAcceptAreNotSupported()
    {
        var expected = OnNext<int>(10, _ => true).Value;

        Assert.Throws<NotSupportedException>(() => expected.Value);
        Assert.Throws<NotSupportedException>(() => expected.Exception);
        Assert.Throws<NotSupportedException>(() => expected.Accept(Observer.Create<int>(_ => { })));
        Assert.Equal("OnNext(<predicate>)@10", OnNext<int>(10, _ => true).ToString());
    }

    [Fact]
    public void OnNext_NullPredicate_ThrowsArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => OnNext(10, (Func<int, bool>)null!));

        Assert.Equal("predicate", ex.ParamName);
    }

    [Fact]
    public void OnCompleted_Ticks_RecordsOnCompletedNotification()
    {
        var r = OnCompleted<int>(7);

        Assert.Equal(7, r.Time);
        Assert.Equal(NotificationKind.OnCompleted, r.Value.Kind);
        Assert.Equal(Notification.CreateOnCompleted<int>(), r.Value);
    }

    [Fact]
    public void OnCompleted_Witness_InfersAnonymousType()
    {
        var witness = new { Name = "", Count = 0 };

        var r = OnCompleted(7, witness);

        Assert.Equal(NotificationKind.OnCompleted, r.Value.Kind);
        Assert.IsAssignableFrom(typeof(Notification<>).MakeGenericType(witness.GetType()), r.Value);
    }

    [Fact]
    public void OnError_Exception_RecordsOnErrorWithThatException()
    {
        var error = new InvalidOperationException();

        var r = OnError<int>(9, error);

        Assert.Equal(9, r.Time);
        Assert.Equal(NotificationKind.OnError, r.Value.Kind);
        Assert.Same(error, r.Value.Exception);
        Assert.Equal(r, OnError<int>(9, error));
        Assert.NotEqual(r, OnError<int>(9, new InvalidOperationException()));
    }

    [Fact]
    public void OnError_NullException_ThrowsArgumentNullException()
    {
        Assert.Equal("exception", Assert.Throws<ArgumentNullException>(() => OnError<int>(1, (Exception)null!)).ParamName);
        Assert.Equal("exception", Assert.Throws<ArgumentNullException>(() => OnError(1, (Exception)null!, 0)).ParamName);
    }

    [Fact]
    public void OnError_Predicate_EqualsMatchingOnErrorOnly()
    {
        var expected = OnError<int>(10, e => e is TimeoutException);

        Assert.True(expected.Equals(OnError<int>(10, new TimeoutException())));
        Assert.False(expected.Equals(OnError<int>(10, new InvalidOperationException())));
        Assert.False(expected.Equals(OnError<int>(12, new TimeoutException())));
        Assert.False(expected.Equals(OnNext(10, 1)));
        Assert.False(expected.Equals(OnCompleted<int>(10)));
        Assert.Equal(NotificationKind.OnError, expected.Value.Kind);
    }

    [Fact]
    public void OnError_NullPredicate_ThrowsArgumentNullException()
    {
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => OnError<int>(1, (Func<Exception, bool>)null!)).ParamName);
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => OnError(1, (Func<Exception, bool>)null!, 0)).ParamName);
    }

    [Fact]
    public void OnError_Witness_InfersTypeAndKeepsException()
    {
        var witness = new { Id = 0 };
        var error = new InvalidOperationException();

        var plain = OnError(5, error, witness);
        var byPredicate = OnError(5, e => e == error, witness);

        Assert.Same(error, plain.Value.Exception);
        Assert.True(byPredicate.Equals(plain));
        Assert.IsAssignableFrom(typeof(Notification<>).MakeGenericType(witness.GetType()), plain.Value);
    }

    [Fact]
    public void PredicateNotifications_TwoDistinctPredicates_AreNotEqual()
    {
        var a = OnNext<int>(1, _ => true);
        var b = OnNext<int>(1, _ => true);

        Assert.True(a.Equals(a));
        Assert.False(a.Equals(b));
    }

    [Fact]
    public void Subscribe_StartOnly_HasInfiniteEnd()
    {
        var s = Subscribe(200);

        Assert.Equal(200, s.Subscribe);
        Assert.Equal(Subscription.Infinite, s.Unsubscribe);
        Assert.Equal(new Subscription(200), s);
    }

    [Fact]
    public void Subscribe_StartAndEnd_RecordsBoth()
    {
        var s = Subscribe(200, 450);

        Assert.Equal(200, s.Subscribe);
        Assert.Equal(450, s.Unsubscribe);
        Assert.Equal(new Subscription(200, 450), s);
    }
}

using System.Reactive.Linq;
using ReactivePorts.Testing;

namespace ReactivePorts.Testing.Tests;

/// <summary>
/// Written exactly as tests against Microsoft.Reactive.Testing are (Rx's own tests look like
/// this): only the <c>using</c> differs.
/// </summary>
public class MicrosoftReactiveTestingStyleTests : ReactiveTest
{
    [Fact]
    public void Where_Complete_FiltersAndUnsubscribesOnCompletion()
    {
        var scheduler = new TestScheduler();

        var xs = scheduler.CreateHotObservable(
            OnNext(110, 1),
            OnNext(180, 2),
            OnNext(230, 3),
            OnNext(270, 4),
            OnNext(340, 5),
            OnNext(380, 6),
            OnNext(390, 7),
            OnCompleted<int>(450),
            OnNext(500, 8)
        );

        var res = scheduler.Start(() =>
            xs.Where(x => x % 2 == 0)
        );

        res.Messages.AssertEqual(
            OnNext(270, 4),
            OnNext(380, 6),
            OnCompleted<int>(450)
        );

        xs.Subscriptions.AssertEqual(
            Subscribe(200, 450)
        );
    }

    [Fact]
    public void Where_Dispose_StopsAtDisposalTime()
    {
        var scheduler = new TestScheduler();

        var xs = scheduler.CreateHotObservable(
            OnNext(230, 3),
            OnNext(270, 4),
            OnNext(380, 6),
            OnNext(500, 8)
        );

        var res = scheduler.Start(() =>
            xs.Where(x => x % 2 == 0),
            400
        );

        res.Messages.AssertEqual(
            OnNext(270, 4),
            OnNext(380, 6)
        );

        xs.Subscriptions.AssertEqual(
            Subscribe(200, 400)
        );
    }

    [Fact]
    public void Select_Throws_ForwardsErrorAndUnsubscribes()
    {
        var scheduler = new TestScheduler();
        var ex = new Exception();

        var xs = scheduler.CreateHotObservable(
            OnNext(210, 1),
            OnNext(240, 2),
            OnCompleted<int>(300)
        );

        var res = scheduler.Start(() =>
            xs.Select(x => x == 2 ? throw ex : x * 10)
        );

        res.Messages.AssertEqual(
            OnNext(210, 10),
            OnError<int>(240, ex)
        );

        xs.Subscriptions.AssertEqual(
            Subscribe(200, 240)
        );
    }

    [Fact]
    public void Select_AnonymousType_UsesWitness()
    {
        var scheduler = new TestScheduler();

        var xs = scheduler.CreateHotObservable(
            OnNext(210, 1),
            OnCompleted<int>(250)
        );

        var res = scheduler.Start(() =>
            xs.Select(x => new { x, y = x * 2 })
        );

        res.Messages.AssertEqual(
            OnNext(210, new { x = 1, y = 2 }),
            OnCompleted(250, new { x = default(int), y = default(int) })
        );
    }

    [Fact]
    public void Concat_Cold_SubscribesToSecondWhenFirstCompletes()
    {
        var scheduler = new TestScheduler();

        var o1 = scheduler.CreateColdObservable(
            OnNext(10, 1),
            OnCompleted<int>(30)
        );

        var o2 = scheduler.CreateColdObservable(
            OnNext(10, 2),
            OnCompleted<int>(20)
        );

        var res = scheduler.Start(() =>
            o1.Concat(o2)
        );

        res.Messages.AssertEqual(
            OnNext(210, 1),
            OnNext(240, 2),
            OnCompleted<int>(250)
        );

        o1.Subscriptions.AssertEqual(
            Subscribe(200, 230)
        );

        o2.Subscriptions.AssertEqual(
            Subscribe(230, 250)
        );
    }

    [Fact]
    public void SelectMany_Inner_MergesByTime()
    {
        var scheduler = new TestScheduler();

        var xs = scheduler.CreateHotObservable(
            OnNext(210, 10),
            OnNext(260, 20),
            OnCompleted<int>(300)
        );

        var res = scheduler.Start(() =>
            xs.SelectMany(x => Observable.Timer(TimeSpan.FromTicks(x), scheduler).Select(_ => x))
        );

        res.Messages.AssertEqual(
            OnNext(220, 10),
            OnNext(280, 20),
            OnCompleted<int>(300)
        );
    }

    [Fact]
    public void Where_PredicateAssertion_MatchesByCondition()
    {
        var scheduler = new TestScheduler();

        var xs = scheduler.CreateHotObservable(
            OnNext(210, 41),
            OnError<int>(220, new TimeoutException())
        );

        var res = scheduler.Start(() =>
            xs.Where(x => x > 0)
        );

        res.Messages.AssertEqual(
            OnNext<int>(210, x => x > 40),
            OnError<int>(220, e => e is TimeoutException)
        );
    }

    [Fact]
    public void Where_ArgumentChecking()
    {
        ReactiveAssert.Throws<ArgumentNullException>(() => Observable.Where(default(IObservable<int>)!, _ => true));
        ReactiveAssert.Throws<ArgumentNullException>(() => Observable.Where(Observable.Empty<int>(), default(Func<int, bool>)!));
    }

    [Fact]
    public void Return_Basic_ObservableAssertions()
    {
        Observable.Return(42).AssertEqual(Observable.Return(42));
        ReactiveAssert.AreElementsEqual(new[] { 1, 2, 3 }, Observable.Range(1, 3).ToEnumerable());
    }
}

using System.Reactive.Linq;

namespace ReactivePorts.Testing.Tests;

public class ReactiveAssertSequenceTests : ReactiveTest
{
    private static ReactiveAssertionException Fails(Action assertion) => Assert.Throws<ReactiveAssertionException>(assertion);

    [Fact]
    public void AreElementsEqual_EqualSequences_Passes()
    {
        ReactiveAssert.AreElementsEqual([1, 2, 3], new List<int> { 1, 2, 3 });
        ReactiveAssert.AreElementsEqual(Array.Empty<int>(), Enumerable.Empty<int>());
    }

    [Fact]
    public void AreElementsEqual_DifferentElement_FailureListsExpectedAndActual()
    {
        var ex = Fails(() => ReactiveAssert.AreElementsEqual([1, 2, 3], [1, 5, 3]));

        Assert.Contains("Sequences differ at index 1: expected 2, actual 5.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Expected: [1, 2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [1, 5, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_ActualShorterOrLonger_FailureGivesBothLengths()
    {
        var shorter = Fails(() => ReactiveAssert.AreElementsEqual([1, 2], [1]));
        var longer = Fails(() => ReactiveAssert.AreElementsEqual([1], [1, 2]));

        Assert.Contains("expected 2 element(s), actual 1", shorter.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [1]", shorter.Message, StringComparison.Ordinal);
        Assert.Contains("expected 1 element(s), actual 2", longer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_NullElements_ShownAsNull()
    {
        var ex = Fails(() => ReactiveAssert.AreElementsEqual(["a", null], new string?[] { "a", "b" }));

        Assert.Contains("Expected: [a, null]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_WithMessage_FailureStartsWithMessageThenDetails()
    {
        var ex = Fails(() => ReactiveAssert.AreElementsEqual([1], [2], "ticks were wrong"));

        Assert.StartsWith("ticks were wrong", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Expected: [1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [2]", ex.Message, StringComparison.Ordinal);
        ReactiveAssert.AreElementsEqual([1], [1], "unused");
    }

    [Fact]
    public void AreElementsEqual_NullMessage_FailsWithDetailsOnly()
    {
        var ex = Fails(() => ReactiveAssert.AreElementsEqual([1], [2], (string)null!));

        Assert.StartsWith("Sequences differ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_Comparer_UsedForElements()
    {
        ReactiveAssert.AreElementsEqual(["A", "b"], ["a", "B"], StringComparer.OrdinalIgnoreCase);
        ReactiveAssert.AreElementsEqual(["A"], ["a"], StringComparer.OrdinalIgnoreCase, "unused");

        Fails(() => ReactiveAssert.AreElementsEqual(["A"], ["a"], StringComparer.Ordinal));
        var ex = Fails(() => ReactiveAssert.AreElementsEqual(["A"], ["c"], StringComparer.OrdinalIgnoreCase, "case-blind"));
        Assert.StartsWith("case-blind", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_NullArguments_ThrowArgumentNullException()
    {
        int[] xs = [1];

        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.AreElementsEqual(null!, xs)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.AreElementsEqual(xs, null!)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.AreElementsEqual(xs, null!, "m")).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.AreElementsEqual(null!, (int[])null!, "m")).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(
            () => ReactiveAssert.AreElementsEqual((IObservable<int>)null!, Observable.Empty<int>())).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ReactiveAssert.AreElementsEqual(Observable.Empty<int>(), null!, "m")).ParamName);
    }

    [Fact]
    public void AreElementsEqual_NullComparer_UsesDefaultComparer()
    {
        // Microsoft.Reactive.Testing falls back to EqualityComparer<T>.Default rather than throwing.
        IEqualityComparer<string>? none = null;

        ReactiveAssert.AreElementsEqual(["a"], ["a"], none!);
        ReactiveAssert.AreElementsEqual(["a"], ["a"], none!, "unused");
        ReactiveAssert.AreElementsEqual(Observable.Return("a"), Observable.Return("a"), none!);
        ReactiveAssert.AreElementsEqual(Observable.Return("a"), Observable.Return("a"), none!, "unused");

        Fails(() => ReactiveAssert.AreElementsEqual(["a"], ["A"], none!));
        Fails(() => ReactiveAssert.AreElementsEqual(["a"], ["A"], none!, "m"));
        Fails(() => ReactiveAssert.AreElementsEqual(Observable.Return("a"), Observable.Return("A"), none!));
        Fails(() => ReactiveAssert.AreElementsEqual(Observable.Return("a"), Observable.Return("A"), none!, "m"));
    }

    [Fact]
    public void AssertEqual_NullComparer_UsesDefaultComparer()
    {
        IEqualityComparer<string>? none = null;

        new[] { "a" }.AssertEqual(["a"], none!);
        Observable.Return("a").AssertEqual(Observable.Return("a"), none!);

        Fails(() => new[] { "a" }.AssertEqual(["A"], none!));
        Fails(() => Observable.Return("a").AssertEqual(Observable.Return("A"), none!));
    }

    [Fact]
    public void AssertEqual_BothNull_ReportsActualFirst()
    {
        // AssertEqual checks its receiver first, as Microsoft.Reactive.Testing does.
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ((IEnumerable<int>)null!).AssertEqual((IEnumerable<int>)null!)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ((IEnumerable<int>)null!).AssertEqual((int[])null!)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ((IEnumerable<int>)null!).AssertEqual(null!, EqualityComparer<int>.Default)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ((IObservable<int>)null!).AssertEqual((IObservable<int>)null!)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(
            () => ((IObservable<int>)null!).AssertEqual(null!, EqualityComparer<int>.Default)).ParamName);
    }

    [Fact]
    public void AreElementsEqual_OneShotSequences_EnumeratedOnce()
    {
        var enumerations = 0;
        IEnumerable<int> OneShot()
        {
            enumerations++;
            yield return 1;
            yield return 2;
        }

        ReactiveAssert.AreElementsEqual([1, 2], OneShot());

        Assert.Equal(1, enumerations);
    }

    [Fact]
    public void AreElementsEqual_Observables_ComparesValuesAndTermination()
    {
        var error = new InvalidOperationException();

        ReactiveAssert.AreElementsEqual(Observable.Range(1, 3), new[] { 1, 2, 3 }.ToObservable());
        ReactiveAssert.AreElementsEqual(Observable.Throw<int>(error), Observable.Throw<int>(error), "unused");

        var values = Fails(() => ReactiveAssert.AreElementsEqual(Observable.Range(1, 2), Observable.Range(1, 3)));
        Assert.Contains("Expected: [OnNext(1), OnNext(2), OnCompleted()]", values.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [OnNext(1), OnNext(2), OnNext(3), OnCompleted()]", values.Message, StringComparison.Ordinal);

        var termination = Fails(() => ReactiveAssert.AreElementsEqual(Observable.Empty<int>(), Observable.Throw<int>(error), "how it ended"));
        Assert.StartsWith("how it ended", termination.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AreElementsEqual_ObservablesWithComparer_UsesComparerForValuesOnly()
    {
        var error = new InvalidOperationException();

        ReactiveAssert.AreElementsEqual(Observable.Return("A"), Observable.Return("a"), StringComparer.OrdinalIgnoreCase);
        ReactiveAssert.AreElementsEqual(
            Observable.Return("A").Concat(Observable.Throw<string>(error)),
            Observable.Return("a").Concat(Observable.Throw<string>(error)),
            StringComparer.OrdinalIgnoreCase, "unused");

        Fails(() => ReactiveAssert.AreElementsEqual(Observable.Return("A"), Observable.Return("a"), StringComparer.Ordinal));
        Fails(() => ReactiveAssert.AreElementsEqual(
            Observable.Throw<string>(error), Observable.Throw<string>(new InvalidOperationException()), StringComparer.Ordinal));
        var ex = Fails(() => ReactiveAssert.AreElementsEqual(
            Observable.Return("A"), Observable.Empty<string>(), StringComparer.OrdinalIgnoreCase, "kinds"));
        Assert.StartsWith("kinds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertEqual_EnumerableForms_CompareActualAgainstExpected()
    {
        var actual = new List<int> { 1, 2 };

        actual.AssertEqual(new[] { 1, 2 }.AsEnumerable());
        actual.AssertEqual(1, 2);
        new[] { "a" }.AssertEqual(["A"], StringComparer.OrdinalIgnoreCase);

        var ex = Fails(() => actual.AssertEqual(1, 3));
        Assert.Contains("Expected: [1, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [1, 2]", ex.Message, StringComparison.Ordinal);
        Fails(() => actual.AssertEqual(new[] { 2, 1 }.AsEnumerable()));
        Fails(() => new[] { "a" }.AssertEqual(["A"], StringComparer.Ordinal));
    }

    [Fact]
    public void AssertEqual_ObjectsWithTrailingString_BindsToParamsFormAsMicrosoftReactiveTesting()
    {
        object[] inner = [1];
        IEnumerable<object> actual = [inner, "note"];

        // Microsoft.Reactive.Testing has no AssertEqual(actual, expected, string): this call is the
        // params form, expecting exactly the two elements inner and "note". An extra message
        // overload would take it instead and compare against inner's elements.
        actual.AssertEqual(inner, "note");
    }

    [Fact]
    public void AssertEqual_NullArguments_ThrowArgumentNullException()
    {
        int[] xs = [1];

        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(() => ((IEnumerable<int>)null!).AssertEqual(xs.AsEnumerable())).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => xs.AssertEqual((int[])null!)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentNullException>(() => ((IObservable<int>)null!).AssertEqual(Observable.Empty<int>())).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => Observable.Empty<int>().AssertEqual((IObservable<int>)null!)).ParamName);
    }

    [Fact]
    public void AssertEqual_ObservableForms_CompareNotifications()
    {
        Observable.Range(1, 2).AssertEqual(new[] { 1, 2 }.ToObservable());
        Observable.Return("a").AssertEqual(Observable.Return("A"), StringComparer.OrdinalIgnoreCase);

        Fails(() => Observable.Range(1, 2).AssertEqual(Observable.Range(1, 1)));
        Fails(() => Observable.Return("a").AssertEqual(Observable.Return("A"), StringComparer.Ordinal));
    }

    [Fact]
    public void AssertEqual_RecordedNotifications_FailureShowsValuesAndTimes()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(220, 1), OnCompleted<int>(300));
        var res = scheduler.Start(() => xs);

        var ex = Fails(() => res.Messages.AssertEqual(OnNext(210, 1), OnCompleted<int>(300)));

        Assert.Contains("expected OnNext(1)@210, actual OnNext(1)@220", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Expected: [OnNext(1)@210, OnCompleted()@300]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: [OnNext(1)@220, OnCompleted()@300]", ex.Message, StringComparison.Ordinal);
        // Subscribed directly (no operator), the observer does not unsubscribe on completion.
        var subscriptions = Fails(() => xs.Subscriptions.AssertEqual(Subscribe(200, 300)));
        Assert.Contains("expected (200, 300), actual (200, 1000)", subscriptions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_Exception_IsAssertionFailureNotAnInvalidOperation()
    {
        var ex = Fails(() => ReactiveAssert.AreElementsEqual([1], [2]));

        Assert.IsNotAssignableFrom<InvalidOperationException>(ex);
        Assert.Contains(ex.GetType().GetInterfaces(), i => i.Name == "IAssertionException");
    }
}

namespace ReactivePorts.Testing;

// Exactly Microsoft.Reactive.Testing's AssertEqual overloads: there is deliberately no
// (actual, expected, string message) form. It would win overload resolution over the params
// form, so actual.AssertEqual(x, "text") on an IEnumerable<object> would silently change meaning.
// Each checks its receiver (actual) before expected, so a null pair names the same argument.
public static partial class ReactiveAssert
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> has the same length and equal elements as
    /// <paramref name="expected"/>, in the same order.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="expected">The expected sequence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> or <paramref name="expected"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AssertEqual<T>(this IEnumerable<T> actual, IEnumerable<T> expected)
    {
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqualCore(expected, actual, comparer: null, message: null);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> consists of exactly the <paramref name="expected"/>
    /// elements, in order; typically <c>observer.Messages.AssertEqual(OnNext(210, 1), OnCompleted&lt;int&gt;(250))</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="expected">The expected elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> or <paramref name="expected"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AssertEqual<T>(this IEnumerable<T> actual, params T[] expected)
    {
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqualCore(expected, actual, comparer: null, message: null);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> has the same length as <paramref name="expected"/>
    /// and elements that <paramref name="comparer"/> finds equal, in the same order.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected element (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> or <paramref name="expected"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AssertEqual<T>(this IEnumerable<T> actual, IEnumerable<T> expected, IEqualityComparer<T>? comparer)
    {
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqualCore(expected, actual, comparer, message: null);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> produces the same notifications as
    /// <paramref name="expected"/>. Both are subscribed and waited for on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="expected">The expected sequence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> or <paramref name="expected"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AssertEqual<T>(this IObservable<T> actual, IObservable<T> expected)
    {
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqual(expected, actual);
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> produces notifications of the same kinds as
    /// <paramref name="expected"/>, with values that <paramref name="comparer"/> finds equal.
    /// Both are subscribed and waited for on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected value (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> or <paramref name="expected"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AssertEqual<T>(this IObservable<T> actual, IObservable<T> expected, IEqualityComparer<T>? comparer)
    {
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqual(expected, actual, comparer);
    }
}

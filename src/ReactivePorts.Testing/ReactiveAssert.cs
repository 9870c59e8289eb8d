namespace ReactivePorts.Testing;

/// <summary>
/// Assertions for tests of Reactive Extensions code: element-wise equality of sequences and
/// recorded notifications, and expected exceptions.
/// </summary>
/// <remarks>
/// A failed assertion throws <see cref="ReactiveAssertionException"/>, whose message lists the
/// expected and the actual outcome (after the caller's message, when one is given). That type
/// is internal, as Microsoft.Reactive.Testing's failure exceptions are: catch <see cref="Exception"/>.
/// </remarks>
public static partial class ReactiveAssert
{
    /// <summary>
    /// Asserts that both sequences have the same length and equal elements in the same order,
    /// comparing with <c>expected[i].Equals(actual[i])</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual) =>
        AreElementsEqualCore(expected, actual, comparer: null, message: null);

    /// <summary>
    /// Asserts that both sequences have the same length and equal elements in the same order,
    /// comparing with <c>expected[i].Equals(actual[i])</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, string message) =>
        AreElementsEqualCore(expected, actual, comparer: null, message);

    /// <summary>
    /// Asserts that both sequences have the same length and elements that
    /// <paramref name="comparer"/> finds equal, in the same order.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected element (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>, as in Microsoft.Reactive.Testing.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, IEqualityComparer<T>? comparer) =>
        AreElementsEqualCore(expected, actual, comparer, message: null);

    /// <summary>
    /// Asserts that both sequences have the same length and elements that
    /// <paramref name="comparer"/> finds equal, in the same order.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected element (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>.
    /// </param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The sequences differ.</exception>
    public static void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, IEqualityComparer<T>? comparer, string message) =>
        AreElementsEqualCore(expected, actual, comparer, message);

    private static void AreElementsEqualCore<T>(IEnumerable<T> expected, IEnumerable<T> actual, IEqualityComparer<T>? comparer, string? message)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        comparer ??= EqualityComparer<T>.Default;

        // Each sequence is enumerated once, so lazy or one-shot sequences are compared as seen.
        var e = expected.ToList();
        var a = actual.ToList();
        var common = Math.Min(e.Count, a.Count);

        for (var i = 0; i < common; i++)
        {
            if (!comparer.Equals(e[i], a[i]))
            {
                throw new ReactiveAssertionException(FailureMessage.ForSequences(e, a, i, message));
            }
        }

        if (e.Count != a.Count)
        {
            throw new ReactiveAssertionException(FailureMessage.ForSequences(e, a, common, message));
        }
    }
}

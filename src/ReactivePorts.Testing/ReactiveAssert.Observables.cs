using System.Reactive;
using System.Reactive.Linq;

namespace ReactivePorts.Testing;

public static partial class ReactiveAssert
{
    /// <summary>
    /// Asserts that both observable sequences produce the same notifications (values, error
    /// and completion) in the same order. Both are subscribed and waited for on the calling
    /// thread, so they must terminate on their own; do not use this with sequences that only
    /// a <see cref="TestScheduler"/> on this thread would drive.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual) =>
        AreNotificationsEqual(expected, actual, EqualityComparer<Notification<T>>.Default, message: null);

    /// <summary>
    /// Asserts that both observable sequences produce the same notifications in the same
    /// order. Both are subscribed and waited for on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, string message) =>
        AreNotificationsEqual(expected, actual, EqualityComparer<Notification<T>>.Default, message);

    /// <summary>
    /// Asserts that both observable sequences produce notifications of the same kinds in the
    /// same order, with values that <paramref name="comparer"/> finds equal and equal errors.
    /// Both are subscribed and waited for on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected value (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, IEqualityComparer<T>? comparer) =>
        AreNotificationsEqual(expected, actual, NotificationComparer<T>.For(comparer), message: null);

    /// <summary>
    /// Asserts that both observable sequences produce notifications of the same kinds in the
    /// same order, with values that <paramref name="comparer"/> finds equal and equal errors.
    /// Both are subscribed and waited for on the calling thread.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="expected">The expected sequence.</param>
    /// <param name="actual">The actual sequence.</param>
    /// <param name="comparer">
    /// Comparer of an expected value (first argument) with an actual one; null means
    /// <see cref="EqualityComparer{T}.Default"/>.
    /// </param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="expected"/> or <paramref name="actual"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">The notifications differ.</exception>
    public static void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, IEqualityComparer<T>? comparer, string message) =>
        AreNotificationsEqual(expected, actual, NotificationComparer<T>.For(comparer), message);

    private static void AreNotificationsEqual<T>(
        IObservable<T> expected, IObservable<T> actual, IEqualityComparer<Notification<T>> comparer, string? message)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);

        AreElementsEqualCore(
            expected.Materialize().ToEnumerable(), actual.Materialize().ToEnumerable(), comparer, message);
    }
}

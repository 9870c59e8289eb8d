using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// Base class for tests of Reactive Extensions code: default virtual times for
/// <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> and factories of recorded
/// notifications and subscriptions, usable unqualified by deriving test classes.
/// </summary>
/// <remarks>
/// Not sealed, and with a public constructor, because test classes derive from it.
/// </remarks>
public class ReactiveTest
{
    /// <summary>
    /// Default virtual time at which <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> creates the sequence under test: 100.
    /// </summary>
    public const long Created = 100;

    /// <summary>
    /// Default virtual time at which <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> subscribes to the sequence under test: 200.
    /// </summary>
    public const long Subscribed = 200;

    /// <summary>
    /// Default virtual time at which <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/> disposes the subscription: 1000.
    /// </summary>
    public const long Disposed = 1000;

    /// <summary>
    /// Creates an OnNext notification of <paramref name="value"/> recorded at <paramref name="ticks"/>.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="value">The value carried by the notification.</param>
    /// <returns>The recorded notification.</returns>
    public static Recorded<Notification<T>> OnNext<T>(long ticks, T value) =>
        new(ticks, Notification.CreateOnNext(value));

    /// <summary>
    /// Creates an expected OnNext notification at <paramref name="ticks"/> that equals any
    /// OnNext notification whose value satisfies <paramref name="predicate"/>. For assertions
    /// only: it must be on the expected side, and cannot be sent by a test observable.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="predicate">Test of the actual value.</param>
    /// <returns>The recorded notification with a predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public static Recorded<Notification<T>> OnNext<T>(long ticks, Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);

        return new(ticks, new OnNextPredicate<T>(predicate));
    }

    /// <summary>
    /// Creates an OnCompleted notification recorded at <paramref name="ticks"/>.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <returns>The recorded notification.</returns>
    public static Recorded<Notification<T>> OnCompleted<T>(long ticks) =>
        new(ticks, Notification.CreateOnCompleted<T>());

    /// <summary>
    /// Creates an OnCompleted notification recorded at <paramref name="ticks"/>, inferring
    /// <typeparamref name="T"/> from <paramref name="witness"/> (useful for anonymous types).
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="witness">Any value of type <typeparamref name="T"/>; only its type is used.</param>
    /// <returns>The recorded notification.</returns>
    public static Recorded<Notification<T>> OnCompleted<T>(long ticks, T witness) => OnCompleted<T>(ticks);

    /// <summary>
    /// Creates an OnError notification of <paramref name="exception"/> recorded at <paramref name="ticks"/>.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="exception">The error carried by the notification.</param>
    /// <returns>The recorded notification.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Recorded<Notification<T>> OnError<T>(long ticks, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        return new(ticks, Notification.CreateOnError<T>(exception));
    }

    /// <summary>
    /// Creates an expected OnError notification at <paramref name="ticks"/> that equals any
    /// OnError notification whose error satisfies <paramref name="predicate"/>. For assertions
    /// only: it must be on the expected side, and cannot be sent by a test observable.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="predicate">Test of the actual error.</param>
    /// <returns>The recorded notification with a predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public static Recorded<Notification<T>> OnError<T>(long ticks, Func<Exception, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);

        return new(ticks, new OnErrorPredicate<T>(predicate));
    }

    /// <summary>
    /// Creates an OnError notification of <paramref name="exception"/> recorded at
    /// <paramref name="ticks"/>, inferring <typeparamref name="T"/> from <paramref name="witness"/>.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="exception">The error carried by the notification.</param>
    /// <param name="witness">Any value of type <typeparamref name="T"/>; only its type is used.</param>
    /// <returns>The recorded notification.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static Recorded<Notification<T>> OnError<T>(long ticks, Exception exception, T witness) =>
        OnError<T>(ticks, exception);

    /// <summary>
    /// Creates an expected OnError notification at <paramref name="ticks"/> matched by
    /// <paramref name="predicate"/>, inferring <typeparamref name="T"/> from <paramref name="witness"/>.
    /// </summary>
    /// <typeparam name="T">The element type of the notification.</typeparam>
    /// <param name="ticks">Virtual time of the notification.</param>
    /// <param name="predicate">Test of the actual error.</param>
    /// <param name="witness">Any value of type <typeparamref name="T"/>; only its type is used.</param>
    /// <returns>The recorded notification with a predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public static Recorded<Notification<T>> OnError<T>(long ticks, Func<Exception, bool> predicate, T witness) =>
        OnError<T>(ticks, predicate);

    /// <summary>
    /// Creates a subscription record for a subscription made at <paramref name="start"/> and
    /// disposed at <paramref name="end"/>.
    /// </summary>
    /// <param name="start">Virtual time of subscribing.</param>
    /// <param name="end">Virtual time of disposing.</param>
    /// <returns>The subscription record.</returns>
    public static Subscription Subscribe(long start, long end) => new(start, end);

    /// <summary>
    /// Creates a subscription record for a subscription made at <paramref name="start"/> and
    /// never disposed (its end is <see cref="Subscription.Infinite"/>).
    /// </summary>
    /// <param name="start">Virtual time of subscribing.</param>
    /// <returns>The subscription record.</returns>
    public static Subscription Subscribe(long start) => new(start);
}

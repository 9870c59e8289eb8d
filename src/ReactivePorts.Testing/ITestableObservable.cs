using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// Observable sequence that replays scripted notifications and records its subscriptions.
/// </summary>
/// <typeparam name="T">The element type of the sequence.</typeparam>
public interface ITestableObservable<T> : IObservable<T>
{
    /// <summary>
    /// Gets every subscription made to the sequence, in subscription order. A subscription
    /// that has not been disposed has <see cref="Subscription.Infinite"/> as its end.
    /// </summary>
    IList<Subscription> Subscriptions { get; }

    /// <summary>
    /// Gets the timestamped notifications the sequence was created with.
    /// </summary>
    IList<Recorded<Notification<T>>> Messages { get; }
}

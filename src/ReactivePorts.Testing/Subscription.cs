using System.Diagnostics;
using System.Globalization;

namespace ReactivePorts.Testing;

/// <summary>
/// Record of the virtual times at which an observer subscribed to and unsubscribed from
/// an observable sequence.
/// </summary>
[DebuggerDisplay("({Subscribe}, {Unsubscribe})")]
[Serializable]
public readonly struct Subscription : IEquatable<Subscription>
{
    // Named fields, not auto-properties: serializers of [Serializable] types write fields by
    // name, and these are Microsoft.Reactive.Testing's names.
    private readonly long _subscribe;
    private readonly long _unsubscribe;

    /// <summary>
    /// Unsubscription time of a subscription that has not been disposed.
    /// </summary>
    public const long Infinite = long.MaxValue;

    /// <summary>
    /// Creates a record of a subscription made at <paramref name="subscribe"/> and never disposed.
    /// </summary>
    /// <param name="subscribe">Virtual time at which the subscription was made.</param>
    public Subscription(long subscribe)
        : this(subscribe, Infinite)
    {
    }

    /// <summary>
    /// Creates a record of a subscription made at <paramref name="subscribe"/> and disposed
    /// at <paramref name="unsubscribe"/>.
    /// </summary>
    /// <param name="subscribe">Virtual time at which the subscription was made.</param>
    /// <param name="unsubscribe">Virtual time at which the subscription was disposed.</param>
    public Subscription(long subscribe, long unsubscribe)
    {
        _subscribe = subscribe;
        _unsubscribe = unsubscribe;
    }

    /// <summary>
    /// Gets the virtual time at which the subscription was made.
    /// </summary>
    public long Subscribe => _subscribe;

    /// <summary>
    /// Gets the virtual time at which the subscription was disposed, or <see cref="Infinite"/>.
    /// </summary>
    public long Unsubscribe => _unsubscribe;

    /// <summary>
    /// Checks whether <paramref name="other"/> has the same subscription and unsubscription times.
    /// </summary>
    /// <param name="other">The subscription to compare with.</param>
    /// <returns><see langword="true"/> if both are equal; otherwise <see langword="false"/>.</returns>
    public bool Equals(Subscription other) =>
        Subscribe == other.Subscribe && Unsubscribe == other.Unsubscribe;

    /// <summary>
    /// Checks whether <paramref name="obj"/> is a <see cref="Subscription"/> equal to this one.
    /// </summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns><see langword="true"/> if <paramref name="obj"/> is an equal subscription; otherwise <see langword="false"/>.</returns>
    public override bool Equals(object? obj) => obj is Subscription other && Equals(other);

    /// <summary>
    /// Returns a hash code combining both times.
    /// </summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Subscribe, Unsubscribe);

    /// <summary>
    /// Returns the subscription as <c>"(subscribe, unsubscribe)"</c>, or
    /// <c>"(subscribe, Infinite)"</c> when it was never disposed.
    /// </summary>
    /// <returns>The string representation.</returns>
    public override string ToString() =>
        Unsubscribe == Infinite
            ? string.Format(CultureInfo.CurrentCulture, "({0}, Infinite)", Subscribe)
            : string.Format(CultureInfo.CurrentCulture, "({0}, {1})", Subscribe, Unsubscribe);

    /// <summary>
    /// Checks whether two subscriptions have the same times.
    /// </summary>
    /// <param name="left">The first subscription.</param>
    /// <param name="right">The second subscription.</param>
    /// <returns><see langword="true"/> if they are equal; otherwise <see langword="false"/>.</returns>
    public static bool operator ==(Subscription left, Subscription right) => left.Equals(right);

    /// <summary>
    /// Checks whether two subscriptions differ in either time.
    /// </summary>
    /// <param name="left">The first subscription.</param>
    /// <param name="right">The second subscription.</param>
    /// <returns><see langword="true"/> if they differ; otherwise <see langword="false"/>.</returns>
    public static bool operator !=(Subscription left, Subscription right) => !left.Equals(right);
}

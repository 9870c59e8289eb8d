using System.Diagnostics;
using System.Globalization;

namespace ReactivePorts.Testing;

/// <summary>
/// Record of a value together with the virtual time at which it was produced.
/// </summary>
/// <typeparam name="T">Type of the recorded value.</typeparam>
[DebuggerDisplay("{Value}@{Time}")]
[Serializable]
public readonly struct Recorded<T> : IEquatable<Recorded<T>>
{
    // Named fields, not auto-properties: serializers of [Serializable] types write fields by
    // name, and these are Microsoft.Reactive.Testing's names.
    private readonly long _time;
    private readonly T _value;

    /// <summary>
    /// Creates a record of <paramref name="value"/> produced at virtual time <paramref name="time"/>.
    /// </summary>
    /// <param name="time">Virtual time at which the value was produced.</param>
    /// <param name="value">The value that was produced.</param>
    public Recorded(long time, T value)
    {
        _time = time;
        _value = value;
    }

    /// <summary>
    /// Gets the virtual time at which the value was produced.
    /// </summary>
    public long Time => _time;

    /// <summary>
    /// Gets the recorded value.
    /// </summary>
    public T Value => _value;

    /// <summary>
    /// Checks whether <paramref name="other"/> has the same time and an equal value.
    /// </summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns><see langword="true"/> if both records are equal; otherwise <see langword="false"/>.</returns>
    /// <remarks>
    /// Values are compared with <see cref="EqualityComparer{T}.Default"/> as
    /// <c>this.Value.Equals(other.Value)</c>, so an expected record built with a predicate
    /// (<see cref="ReactiveTest.OnNext{T}(long, Func{T, bool})"/>) must be the receiver.
    /// </remarks>
    public bool Equals(Recorded<T> other) =>
        Time == other.Time && EqualityComparer<T>.Default.Equals(Value, other.Value);

    /// <summary>
    /// Checks whether <paramref name="obj"/> is a <see cref="Recorded{T}"/> equal to this one.
    /// </summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns><see langword="true"/> if <paramref name="obj"/> is an equal record; otherwise <see langword="false"/>.</returns>
    public override bool Equals(object? obj) => obj is Recorded<T> other && Equals(other);

    /// <summary>
    /// Returns a hash code combining the time and the value.
    /// </summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(Time, Value);

    /// <summary>
    /// Returns the record as <c>"{Value}@{Time}"</c>, formatted with the current culture.
    /// </summary>
    /// <returns>The string representation.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}@{1}", Value, Time);

    /// <summary>
    /// Checks whether two records have the same time and equal values.
    /// </summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> if the records are equal; otherwise <see langword="false"/>.</returns>
    public static bool operator ==(Recorded<T> left, Recorded<T> right) => left.Equals(right);

    /// <summary>
    /// Checks whether two records differ in time or value.
    /// </summary>
    /// <param name="left">The first record.</param>
    /// <param name="right">The second record.</param>
    /// <returns><see langword="true"/> if the records differ; otherwise <see langword="false"/>.</returns>
    public static bool operator !=(Recorded<T> left, Recorded<T> right) => !left.Equals(right);
}

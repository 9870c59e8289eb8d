using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// Compares materialized notifications: same kind, OnNext values through the given comparer,
/// OnError errors by <see cref="object.Equals(object)"/>.
/// </summary>
internal sealed class NotificationComparer<T>(IEqualityComparer<T> values) : IEqualityComparer<Notification<T>>
{
    /// <summary>
    /// The comparer for <paramref name="values"/>, where null means the default comparer:
    /// Microsoft.Reactive.Testing treats a null comparer so for sequences, so observables
    /// follow suit (it would otherwise fail with a NullReferenceException on the first pair
    /// of values).
    /// </summary>
    public static NotificationComparer<T> For(IEqualityComparer<T>? values) => new(values ?? EqualityComparer<T>.Default);

    public bool Equals(Notification<T>? x, Notification<T>? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        if (x.Kind != y.Kind)
        {
            return false;
        }

        return x.Kind switch
        {
            NotificationKind.OnNext => values.Equals(x.Value, y.Value),
            NotificationKind.OnError => EqualityComparer<Exception>.Default.Equals(x.Exception, y.Exception),
            _ => true,
        };
    }

    public int GetHashCode(Notification<T> obj) => obj.Kind switch
    {
        NotificationKind.OnNext => HashCode.Combine(obj.Kind, obj.Value is null ? 0 : values.GetHashCode(obj.Value)),
        NotificationKind.OnError => HashCode.Combine(obj.Kind, obj.Exception),
        _ => obj.Kind.GetHashCode(),
    };
}

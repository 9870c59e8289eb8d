using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// An expected notification that equals actual notifications of its kind accepted by a
/// predicate. It only takes part in assertions: it has no value or error of its own, and it
/// cannot be delivered to an observer.
/// </summary>
/// <remarks>
/// Equality is one-way (<c>expected.Equals(actual)</c>), which is the direction
/// <see cref="ReactiveAssert"/> and <see cref="Recorded{T}.Equals(Recorded{T})"/> use.
/// Unlike Microsoft.Reactive.Testing, <c>Kind</c> and <c>HasValue</c> answer
/// rather than throw, and <c>ToString</c> is readable in failure messages.
/// </remarks>
internal abstract class PredicateNotification<T> : Notification<T>
{
    public override T Value => throw Unsupported();

    public override bool HasValue => Kind == NotificationKind.OnNext;

    public override Exception? Exception => throw Unsupported();

    public override bool Equals(Notification<T>? other) =>
        ReferenceEquals(this, other) || (other is not null && other is not PredicateNotification<T> && Matches(other));

    public override int GetHashCode() => (int)Kind;

    public override string ToString() => $"{Kind}(<predicate>)";

    public override void Accept(IObserver<T> observer) => throw Unsupported();

    public override TResult Accept<TResult>(IObserver<T, TResult> observer) => throw Unsupported();

    public override void Accept(Action<T> onNext, Action<Exception> onError, Action onCompleted) => throw Unsupported();

    public override TResult Accept<TResult>(Func<T, TResult> onNext, Func<Exception, TResult> onError, Func<TResult> onCompleted) =>
        throw Unsupported();

    /// <summary>Whether the actual (non-predicate) notification is accepted.</summary>
    protected abstract bool Matches(Notification<T> actual);

    private static NotSupportedException Unsupported() => new(
        "A notification built from a predicate (ReactiveTest.OnNext/OnError with a Func) is only for " +
        "comparing against actual notifications; it has no value or error and cannot be sent to an observer.");
}

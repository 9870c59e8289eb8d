using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>Expected OnNext notification whose value is checked by a predicate.</summary>
internal sealed class OnNextPredicate<T>(Func<T, bool> predicate) : PredicateNotification<T>
{
    public override NotificationKind Kind => NotificationKind.OnNext;

    protected override bool Matches(Notification<T> actual) =>
        actual.Kind == NotificationKind.OnNext && predicate(actual.Value);
}

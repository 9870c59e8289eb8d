using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>Expected OnError notification whose error is checked by a predicate.</summary>
internal sealed class OnErrorPredicate<T>(Func<Exception, bool> predicate) : PredicateNotification<T>
{
    public override NotificationKind Kind => NotificationKind.OnError;

    protected override bool Matches(Notification<T> actual) =>
        actual.Kind == NotificationKind.OnError && predicate(actual.Exception!);
}

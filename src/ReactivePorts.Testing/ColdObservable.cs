using System.Reactive;
using System.Reactive.Disposables;

namespace ReactivePorts.Testing;

/// <summary>
/// Observable that, for each subscription, schedules its scripted notifications at their
/// times relative to the moment of subscribing.
/// </summary>
internal sealed class ColdObservable<T>(TestScheduler scheduler, Recorded<Notification<T>>[] messages)
    : ITestableObservable<T>
{
    private readonly List<Subscription> _subscriptions = [];

    public IList<Subscription> Subscriptions => _subscriptions;

    // The caller's array itself, as Microsoft.Reactive.Testing exposes it: tests that edit an
    // element see the edit in Messages and in every later subscription.
    public IList<Recorded<Notification<T>>> Messages => messages;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);

        var index = SubscriptionLog.Open(_subscriptions, scheduler.Clock);
        var pending = new CompositeDisposable(messages.Length);

        foreach (var message in messages)
        {
            pending.Add(scheduler.ScheduleRelative((observer, message.Value), message.Time, static (_, s) =>
            {
                s.Value.Accept(s.observer);
                return Disposable.Empty;
            }));
        }

        return Disposable.Create(() =>
        {
            SubscriptionLog.Close(_subscriptions, index, scheduler.Clock);
            pending.Dispose();
        });
    }
}

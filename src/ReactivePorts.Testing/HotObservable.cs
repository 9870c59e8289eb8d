using System.Reactive;
using System.Reactive.Disposables;

namespace ReactivePorts.Testing;

/// <summary>
/// Observable whose scripted notifications are scheduled once, at creation, at their absolute
/// times, and go to whoever is subscribed when they fire.
/// </summary>
internal sealed class HotObservable<T> : ITestableObservable<T>
{
    private readonly TestScheduler _scheduler;
    private readonly List<IObserver<T>> _observers = [];
    private readonly List<Subscription> _subscriptions = [];
    private readonly Recorded<Notification<T>>[] _messages;

    public HotObservable(TestScheduler scheduler, Recorded<Notification<T>>[] messages)
    {
        _scheduler = scheduler;
        _messages = messages;

        foreach (var message in messages)
        {
            scheduler.ScheduleAbsolute((Observable: this, message.Value), message.Time, static (_, s) =>
            {
                s.Observable.Broadcast(s.Value);
                return Disposable.Empty;
            });
        }
    }

    public IList<Subscription> Subscriptions => _subscriptions;

    // The caller's array itself, as Microsoft.Reactive.Testing exposes it. Delivery was
    // scheduled above, so a later edit shows here but changes nothing that is sent.
    public IList<Recorded<Notification<T>>> Messages => _messages;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);

        _observers.Add(observer);
        var index = SubscriptionLog.Open(_subscriptions, _scheduler.Clock);

        return Disposable.Create(() =>
        {
            _observers.Remove(observer);
            SubscriptionLog.Close(_subscriptions, index, _scheduler.Clock);
        });
    }

    private void Broadcast(Notification<T> notification)
    {
        // A snapshot, so observers may subscribe or unsubscribe while being notified.
        foreach (var observer in _observers.ToArray())
        {
            notification.Accept(observer);
        }
    }
}

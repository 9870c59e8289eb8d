using System.Reactive.Subjects;

namespace ReactivePorts.Drivers;

/// <summary>
/// A monitor on a loaded driver (Erlang's monitor reference): an observable that reports one
/// <see cref="DriverEvent"/> and completes, also to subscribers that come after the event.
/// Disposing it (Erlang's <c>demonitor</c>) or the owner's death removes it: it then completes with
/// no event. Events are raised on the thread that caused them (never under the loader's lock).
/// A subscriber that throws is detached and its exception published on <see cref="DriverLoader.Errors"/>;
/// the other subscribers and monitors are told all the same.
/// </summary>
public sealed class DriverMonitor : IObservable<DriverEvent>, IDisposable
{
    private readonly AsyncSubject<DriverEvent> _event = new();
    private readonly DriverLoader _loader;

    internal DriverMonitor(DriverLoader loader, DriverOwner owner, string driver, DriverMonitorKind kind)
    {
        _loader = loader;
        Owner = owner;
        Driver = driver;
        Kind = kind;
    }

    /// <summary>The driver's name.</summary>
    public string Driver { get; }

    /// <summary>What it waits for.</summary>
    public DriverMonitorKind Kind { get; }

    internal DriverOwner Owner { get; }

    /// <summary>Subscribes to the event (delivered at once if it has happened).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    public IDisposable Subscribe(IObserver<DriverEvent> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var guarded = new GuardedSubscriber(observer, _loader);
        guarded.Subscription = _event.Subscribe(guarded);
        return guarded;
    }

    /// <summary>Removes the monitor (Erlang's <c>demonitor</c>): it completes without an event if none came yet.</summary>
    public void Dispose()
    {
        _loader.Demonitor(this);
        _event.OnCompleted();
    }

    /// <summary>Reports the event and completes (outside the loader's lock).</summary>
    internal void Fire(DriverEvent e)
    {
        _event.OnNext(e);
        _event.OnCompleted();
    }

    /// <summary>Completes with no event (the owner died).</summary>
    internal void Drop() => _event.OnCompleted();

    /// <summary>
    /// One subscriber, guarded: the subject tells its subscribers in a loop, and the loader tells
    /// monitors in a loop, so an exception escaping here would leave the rest untold (and land in a
    /// thread-pool task nobody observes). It is published on the loader's errors instead.
    /// </summary>
    private sealed class GuardedSubscriber(IObserver<DriverEvent> inner, DriverLoader loader) : IObserver<DriverEvent>, IDisposable
    {
        private volatile bool _faulted;

        public IDisposable? Subscription { get; set; }

        public void OnNext(DriverEvent value) => Guard(static (o, v) => o.OnNext(v), value);

        public void OnError(Exception error) => Guard(static (o, e) => o.OnError(e), error);

        public void OnCompleted() => Guard(static (o, _) => o.OnCompleted(), 0);

        public void Dispose() => Subscription?.Dispose();

        private void Guard<TArg>(Action<IObserver<DriverEvent>, TArg> call, TArg arg)
        {
            if (_faulted) return; // no OnCompleted after the OnNext that threw
            try
            {
                call(inner, arg);
            }
            catch (Exception ex)
            {
                _faulted = true;
                loader.ReportError(ex);
            }
        }
    }
}

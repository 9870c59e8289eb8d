using ReactivePorts.Polling;

namespace ReactivePorts;

/// <summary>
/// Wraps a subscriber of a port's views (events, busy, standard error): if it throws, the
/// exception is reported on the loop's <see cref="PollScheduler.Errors"/> and that subscriber is
/// detached, so one faulty monitor cannot break the port's teardown or the other subscribers.
/// </summary>
internal sealed class GuardedObserver<T>(IObserver<T> inner, PollScheduler loop) : IObserver<T>, IDisposable
{
    private IDisposable? _subscription;
    private volatile bool _faulted;

    public static IObservable<T> View(IObservable<T> source, PollScheduler loop) =>
        System.Reactive.Linq.Observable.Create<T>(observer =>
        {
            var guarded = new GuardedObserver<T>(observer, loop);
            guarded._subscription = source.Subscribe(guarded);
            if (guarded._faulted) guarded._subscription.Dispose();
            return guarded;
        });

    public void OnNext(T value) => Guard(static (o, v) => o.OnNext(v), value);

    public void OnError(Exception error) => Guard(static (o, e) => o.OnError(e), error);

    public void OnCompleted() => Guard(static (o, _) => o.OnCompleted(), 0);

    private void Guard<TArg>(Action<IObserver<T>, TArg> call, TArg arg)
    {
        if (_faulted) return;
        try
        {
            call(inner, arg);
        }
        catch (Exception ex)
        {
            // The monitor failed: report it and stop feeding it; the port and its other subscribers go on.
            _faulted = true;
            _subscription?.Dispose();
            loop.ReportError(ex);
        }
    }

    public void Dispose() => _subscription?.Dispose();
}

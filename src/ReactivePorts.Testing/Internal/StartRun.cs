using System.Reactive.Disposables;

namespace ReactivePorts.Testing;

/// <summary>
/// The three steps of <see cref="TestScheduler.Start{T}(Func{IObservable{T}}, long, long, long)"/>:
/// create, subscribe, dispose, each run by the scheduler at its own time. Start has checked
/// that the times are in order, so a step finds the previous one's result unless that step
/// failed (and a test caught the failure and ran the scheduler on).
/// </summary>
internal sealed class StartRun<T>(Func<IObservable<T>> create, ITestableObserver<T> observer)
{
    private IObservable<T>? _source;
    private IDisposable? _subscription;

    public ITestableObserver<T> Observer { get; } = observer;

    public IDisposable Create()
    {
        _source = create() ?? throw new InvalidOperationException(
            "The factory passed to TestScheduler.Start returned null instead of an observable.");
        return Disposable.Empty;
    }

    public IDisposable Subscribe()
    {
        if (_source is null)
        {
            throw new InvalidOperationException(
                "TestScheduler.Start reached the subscription time with nothing to subscribe to: the factory did not complete.");
        }

        _subscription = _source.Subscribe(Observer);
        return Disposable.Empty;
    }

    public IDisposable Dispose()
    {
        if (_subscription is null)
        {
            throw new InvalidOperationException(
                "TestScheduler.Start reached the disposal time with nothing to dispose: the subscription did not complete.");
        }

        _subscription.Dispose();
        return Disposable.Empty;
    }
}

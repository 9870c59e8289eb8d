using System.Reactive.Disposables;

namespace ReactivePorts.Testing;

/// <summary>
/// The three steps of <see cref="TestScheduler.Start{T}(Func{IObservable{T}}, long, long, long)"/>:
/// create, subscribe, dispose, each run by the scheduler at its own time.
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
                "TestScheduler.Start reached the subscription time before the creation time: nothing to subscribe to.");
        }

        _subscription = _source.Subscribe(Observer);
        return Disposable.Empty;
    }

    public IDisposable Dispose()
    {
        if (_subscription is null)
        {
            throw new InvalidOperationException(
                "TestScheduler.Start reached the disposal time before the subscription time: nothing to dispose.");
        }

        _subscription.Dispose();
        return Disposable.Empty;
    }
}

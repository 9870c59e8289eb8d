using System.Reactive.Disposables;

namespace ReactivePorts.Framing;

/// <summary>
/// The observer an operator subscribes upstream, forwarding to one downstream observer (Rx's
/// internal Sink, which is not public). Guarantees at most one terminal message: the first
/// terminal call swaps in a no-op observer, and so does <see cref="Dispose"/>.
/// </summary>
internal abstract class Sink<TSource, TTarget> : IObserver<TSource>, IDisposable
{
    private readonly SingleAssignmentDisposable _upstream = new();
    private IObserver<TTarget> _observer;

    protected Sink(IObserver<TTarget> observer)
    {
        _observer = observer;
    }

    /// <summary>Subscribes to <paramref name="source"/>; a terminal message sent during the call still disposes the subscription.</summary>
    public void Run(IObservable<TSource> source) => _upstream.Disposable = source.Subscribe(this);

    public abstract void OnNext(TSource value);

    public virtual void OnError(Exception error) => ForwardOnError(error);

    public virtual void OnCompleted() => ForwardOnCompleted();

    public void Dispose()
    {
        Interlocked.Exchange(ref _observer, NopObserver<TTarget>.Instance);
        _upstream.Dispose();
    }

    protected void ForwardOnNext(TTarget value) => Volatile.Read(ref _observer).OnNext(value);

    protected void ForwardOnError(Exception error)
    {
        var observer = Interlocked.Exchange(ref _observer, NopObserver<TTarget>.Instance);
        _upstream.Dispose();
        observer.OnError(error);
    }

    protected void ForwardOnCompleted()
    {
        var observer = Interlocked.Exchange(ref _observer, NopObserver<TTarget>.Instance);
        _upstream.Dispose();
        observer.OnCompleted();
    }
}

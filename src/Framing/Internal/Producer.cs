namespace ReactivePorts.Framing;

/// <summary>
/// An operator's observable: each subscription gets a fresh sink subscribed upstream (Rx's
/// Producer/Sink shape). Arguments were validated by the public method that built the producer.
/// </summary>
internal abstract class Producer<TSource, TTarget> : IObservable<TTarget>
{
    private readonly IObservable<TSource> _source;

    protected Producer(IObservable<TSource> source)
    {
        _source = source;
    }

    public IDisposable Subscribe(IObserver<TTarget> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var sink = CreateSink(observer);
        sink.Run(_source);
        return sink;
    }

    protected abstract Sink<TSource, TTarget> CreateSink(IObserver<TTarget> observer);
}

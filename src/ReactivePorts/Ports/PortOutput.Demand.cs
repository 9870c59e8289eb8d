using ReactivePorts.Framing;

namespace ReactivePorts;

public sealed partial class PortOutput
{
    /// <summary>
    /// Subscribes the one observer with demand, as a Reactive Streams subscriber: the port reads only
    /// while packets asked for with <see cref="PortOutputDemand.Request"/> are outstanding. Nothing
    /// is read until the first request; when the outstanding count reaches zero the port stops
    /// reading, so the child blocks on its full pipe. Disposing the returned demand closes the port.
    /// </summary>
    /// <remarks>
    /// A read already under way when the count runs out is delivered whole: the observer may get
    /// more packets than it asked for, at most the packets of one read (or the one packet a large
    /// frame was being put together for). Buffer those and count them against later requests.
    /// Packets arrive on the loop thread, as with <see cref="Subscribe"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The output already has a subscriber.</exception>
    /// <exception cref="ObjectDisposedException">The port's scheduler was disposed (the output stays without a subscriber).</exception>
    public PortOutputDemand SubscribeOnDemand(IObserver<Packet> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var demand = new PortOutputDemand(_port);
        SubscribeOnce(static (port, observer) =>
        {
            // Paused before the subscription starts reading (both run on the loop, in this order), so the
            // start leaves it paused until the first request.
            port.Scheduler.Post(static p => p.Core.PauseReading(), port);
            port.Subscribe(observer);
        }, new DemandObserver(observer, demand));
        return demand;
    }

    private sealed class DemandObserver(IObserver<Packet> observer, PortOutputDemand demand) : IObserver<Packet>
    {
        public void OnNext(Packet value)
        {
            // Counted first, so an observer that requests more from OnNext resumes after this pause.
            demand.Delivered();
            observer.OnNext(value);
        }

        public void OnError(Exception error) => observer.OnError(error);

        public void OnCompleted() => observer.OnCompleted();
    }
}

/// <summary>
/// The demand side of <see cref="PortOutput.SubscribeOnDemand"/>: how many more packets the
/// subscriber wants. The port reads while some are outstanding. Disposing closes the port, as
/// disposing an output subscription does.
/// </summary>
public sealed class PortOutputDemand : IDisposable
{
    private readonly Port _port;
    private readonly Lock _lock = new();
    private long _outstanding;
    private bool _paused = true;
    private int _disposed;

    internal PortOutputDemand(Port port) => _port = port;

    /// <summary>Packets asked for and not yet delivered (packets delivered beyond the demand do not make it negative).</summary>
    public long Outstanding
    {
        get
        {
            lock (_lock) return _outstanding;
        }
    }

    /// <summary>Asks for <paramref name="count"/> more packets (any thread); reading resumes if it was paused for lack of demand.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public void Request(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_lock)
        {
            // Reactive Streams' rule: demand adds up, saturating at long.MaxValue ("unbounded").
            _outstanding = _outstanding > long.MaxValue - count ? long.MaxValue : _outstanding + count;
            if (!_paused) return;
            _paused = false;
        }
        try
        {
            // Posted: it runs after any pause already taken on the loop (inline when on the loop).
            _port.Scheduler.Post(static p => p.Core.ResumeReading(), _port);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone; there is nothing left to read.
        }
    }

    /// <summary>A packet was delivered (loop thread): counts it, and pauses reading when nothing more is wanted.</summary>
    internal void Delivered()
    {
        lock (_lock)
        {
            if (_outstanding > 0 && _outstanding != long.MaxValue) _outstanding--;
            if (_outstanding > 0 || _paused) return;
            _paused = true;
        }
        // On the loop thread, before any resume a later request posts.
        _port.Core.PauseReading();
    }

    /// <summary>Ends the subscription: the port closes as with <see cref="Port.CloseAsync"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _port.Unsubscribe();
    }
}

using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReactivePorts.Framing;

namespace ReactivePorts;

/// <summary>
/// A port's packets: an observable with one subscriber, delivered on the loop thread, plus
/// bounded hand-offs for slow consumers that pause reading the port while they are full (so
/// the child blocks on its pipe and memory stays bounded).
/// </summary>
public sealed partial class PortOutput : IObservable<Packet>
{
    private readonly Port _port;
    private int _subscribed;

    internal PortOutput(Port port) => _port = port;

    /// <summary>Subscribes the one observer; reading starts now. Disposing the subscription closes the port.</summary>
    /// <exception cref="InvalidOperationException">The output already has a subscriber (use <c>Publish</c> to share it).</exception>
    /// <exception cref="ObjectDisposedException">The port's scheduler was disposed (the output stays without a subscriber).</exception>
    public IDisposable Subscribe(IObserver<Packet> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        SubscribeOnce(static (port, observer) => port.Subscribe(observer), observer);
        return new Subscription(_port);
    }

    /// <summary>Takes the one subscriber's place and runs <paramref name="subscribe"/>; a loop already gone gives the place back.</summary>
    private void SubscribeOnce<TState>(Action<Port, TState> subscribe, TState state)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
            throw new InvalidOperationException($"The output of port '{_port.Name}' already has a subscriber; use Publish() to share it.");
        try
        {
            subscribe(_port, state);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone: nobody subscribed, so the output must not say it has a subscriber.
            Volatile.Write(ref _subscribed, 0);
            throw;
        }
    }

    /// <summary>
    /// Reads the port as its one output subscriber and delivers everything as events, in order:
    /// <see cref="PortData"/>…, <see cref="PortTruncatedFrame"/> (if the output ended inside a
    /// frame), <see cref="PortExited"/>, <see cref="PortEof"/> (eof mode only),
    /// <see cref="PortClosed"/> (write failures where they happen). For a passive view next to
    /// another reader, use <see cref="Port.Events"/> instead. Disposing closes the port.
    /// </summary>
    /// <exception cref="InvalidOperationException">The output already has a subscriber.</exception>
    public IObservable<PortEvent> ToEvents() => System.Reactive.Linq.Observable.Create<PortEvent>(observer =>
    {
        // Events first, so nothing the reading below triggers can be missed; then claim the output.
        var events = _port.Events.Subscribe(observer);
        try
        {
            var reading = Subscribe(System.Reactive.Observer.Create<Packet>(static _ => { }, static _ => { }));
            return System.Reactive.Disposables.StableCompositeDisposable.Create(events, reading);
        }
        catch
        {
            // The output was taken: nothing to read for, so the event subscription goes too.
            events.Dispose();
            throw;
        }
    });

    /// <summary>
    /// Delivers the packets on <paramref name="scheduler"/> through a queue of at most
    /// <paramref name="capacity"/> packets: while it is full the port stops reading. Unlike Rx's
    /// <c>ObserveOn</c>, nothing piles up without bound.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public IObservable<Packet> ObserveOn(IScheduler scheduler, int capacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return System.Reactive.Linq.Observable.Create<Packet>(observer =>
        {
            var handoff = new BoundedHandoff(_port, scheduler, capacity, observer);
            handoff.Subscription = Subscribe(handoff);
            return handoff;
        });
    }

    /// <summary>
    /// The packets as an async stream (<c>await foreach</c>), buffered up to
    /// <paramref name="capacity"/> packets: while the buffer is full the port stops reading.
    /// Ends normally after the exit status, or throws the port's error.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public async IAsyncEnumerable<Packet> ToAsyncEnumerable(int capacity = 1024, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var channel = Channel.CreateUnbounded<Packet>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var gate = new FlowGate(_port, capacity);
        using var subscription = Subscribe(new ChannelObserver(_port, channel.Writer, gate));
        while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (channel.Reader.TryRead(out var packet))
            {
                gate.Taken();
                yield return packet;
            }
        }
    }

    private sealed class Subscription(Port port) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) port.Unsubscribe();
        }
    }

    /// <summary>Counts packets in a hand-off; pauses the port at capacity and resumes it at half.</summary>
    /// <remarks>
    /// The count and the paused flag change together under one lock: decided apart, a consumer that
    /// empties the buffer between the producer's "full" and its "pause" would never resume the port.
    /// Pausing and resuming themselves run outside the lock, on the loop (no user code is involved).
    /// </remarks>
    private sealed class FlowGate(Port port, int capacity)
    {
        private readonly Lock _lock = new();
        private int _count;
        private bool _paused;

        /// <summary>A packet went in (loop thread).</summary>
        public void Added()
        {
            lock (_lock)
            {
                if (++_count < capacity || _paused) return;
                _paused = true;
            }
            // On the loop thread, before any resume this pause could race with: a resume is posted
            // to the loop, so it runs after this.
            port.Core.PauseReading();
        }

        /// <summary>A packet was taken out (consumer thread).</summary>
        public void Taken()
        {
            lock (_lock)
            {
                if (--_count > capacity / 2 || !_paused) return;
                _paused = false;
            }
            try
            {
                port.Scheduler.Post(static p => p.Core.ResumeReading(), port);
            }
            catch (ObjectDisposedException)
            {
                // The loop is gone; there is nothing left to resume.
            }
        }
    }

    /// <summary>A packet that outlives OnNext: a zero-copy payload is copied, for the next read would overwrite it.</summary>
    private static Packet Keepable(Port port, Packet packet) =>
        port.IsZeroCopy ? new Packet(packet.Payload.ToArray(), packet.Line) : packet;

    private sealed class ChannelObserver(Port port, ChannelWriter<Packet> writer, FlowGate gate) : IObserver<Packet>
    {
        public void OnNext(Packet value)
        {
            writer.TryWrite(Keepable(port, value));
            gate.Added();
        }

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnCompleted() => writer.TryComplete();
    }

    private sealed class BoundedHandoff : IObserver<Packet>, IDisposable
    {
        private readonly Port _port;
        private readonly IScheduler _scheduler;
        private readonly IObserver<Packet> _observer;
        private readonly FlowGate _gate;
        private readonly Queue<Packet> _queue = new();
        private readonly object _lock = new();
        private bool _draining;
        private bool _done;
        private Exception? _error;
        private bool _completed;
        private int _disposed;
        private int _deliveringThread; // the consumer thread while it is inside OnNext, else 0 (Dispose compares its own thread with it)
        private bool _disposeDeferred;

        public BoundedHandoff(Port port, IScheduler scheduler, int capacity, IObserver<Packet> observer)
        {
            _port = port;
            _scheduler = scheduler;
            _observer = observer;
            _gate = new FlowGate(port, capacity);
        }

        public IDisposable? Subscription { get; set; }

        public void OnNext(Packet value)
        {
            value = Keepable(_port, value); // queued past OnNext
            lock (_lock) _queue.Enqueue(value);
            _gate.Added();
            Kick();
        }

        public void OnError(Exception error)
        {
            lock (_lock) { _error = error; _done = true; }
            Kick();
        }

        public void OnCompleted()
        {
            lock (_lock) _done = true;
            Kick();
        }

        private void Kick()
        {
            lock (_lock)
            {
                if (_draining) return;
                _draining = true;
            }
            _scheduler.Schedule(Drain);
        }

        private void Drain()
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                Packet packet;
                bool finish = false;
                lock (_lock)
                {
                    if (!_queue.TryDequeue(out packet))
                    {
                        _draining = false;
                        finish = _done && !_completed;
                        _completed |= finish;
                        if (!finish) return;
                    }
                }
                if (finish)
                {
                    // Outside the lock: no user code runs under it.
                    try
                    {
                        if (_error is { } error) _observer.OnError(error);
                        else _observer.OnCompleted();
                    }
                    catch (Exception ex)
                    {
                        // Escaping, it would end the scheduler's thread (an EventLoopScheduler's
                        // takes the process with it); the port has ended, so it is only reported.
                        _port.Scheduler.ReportError(ex);
                    }
                    return;
                }
                _gate.Taken();
                _deliveringThread = Environment.CurrentManagedThreadId;
                try
                {
                    _observer.OnNext(packet);
                }
                catch (Exception ex)
                {
                    // As on the loop (Port.SubscriberFailed): nothing more is delivered, and the port
                    // fails, so the child gets EPIPE instead of blocking on a port paused for good. (Rx
                    // disposes a throwing observer's subscription first: that close is dropped below.)
                    _deliveringThread = 0;
                    Volatile.Write(ref _disposed, 1);
                    _port.SubscriberFailed(ex);
                    return;
                }
                _deliveringThread = 0;
                if (_disposeDeferred)
                {
                    Subscription?.Dispose();
                    return;
                }
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            // Disposed from inside OnNext (by the subscriber, or by Rx because it threw): whether the
            // port closes or fails is known only when OnNext returns or throws (see Drain).
            if (_deliveringThread == Environment.CurrentManagedThreadId) _disposeDeferred = true;
            else Subscription?.Dispose();
        }
    }
}

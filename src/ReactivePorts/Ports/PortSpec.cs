using System.Diagnostics.Contracts;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts;

/// <summary>
/// What every kind of port spec shares (spawned processes, drivers): the options any port has —
/// framing, eof mode, busy limits, flush timeout, scheduler, zero-copy — and opening. Specs are
/// immutable: each <c>With…</c> returns a new one. A spec is also a cold observable: each
/// subscription opens a new port, start errors arrive as <c>OnError</c>, and disposing the
/// subscription closes that port.
/// </summary>
/// <typeparam name="TSpec">The concrete spec, returned by every <c>With…</c>.</typeparam>
public abstract record PortSpec<TSpec> : IObservable<Packet>
    where TSpec : PortSpec<TSpec>
{
    private protected PortSpec()
    {
    }

    internal PortOptions Options { get; init; } = new();

    /// <summary>The name shown in port info and errors.</summary>
    public abstract string Name { get; }

    /// <summary>Opens the port now and returns it. Reading starts when its output is first subscribed, so nothing is lost before that.</summary>
    /// <exception cref="InvalidOperationException">Options contradict each other (the message says which).</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public abstract Port Open();

    /// <summary>Opens the port and waits until its driver has started (see <see cref="Port.Started"/>); a failed start throws here and the port is closed.</summary>
    /// <exception cref="InvalidOperationException">Options contradict each other.</exception>
    public async Task<Port> OpenAsync(CancellationToken cancellationToken = default)
    {
        var port = Open();
        try
        {
            await port.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>Opens a new port for this subscriber (cold): open errors arrive as <c>OnError</c>; disposing closes the port.</summary>
    public IDisposable Subscribe(IObserver<Packet> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Port port;
        try
        {
            port = Open();
        }
        catch (Exception ex) when (ex is PortException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // A cold observable reports start failures through the grammar, not by throwing.
            observer.OnError(ex);
            return System.Reactive.Disposables.Disposable.Empty;
        }
        return port.Output.Subscribe(observer);
    }

    /// <summary>Frames the port's data both ways: <see cref="FrameFormat.Stream"/> (default), <see cref="FrameFormat.LengthPrefixed"/> or <see cref="FrameFormat.Line"/>. Asking for two different framings fails at open.</summary>
    [Pure]
    public TSpec WithFraming(FrameFormat framing)
    {
        ArgumentNullException.ThrowIfNull(framing);
        return With(Options with { Framing = framing, FramingRequests = [.. Options.FramingRequests, framing] });
    }

    /// <summary>
    /// Erlang's <c>eof</c> option. Normally the output completes at end of output (and, for a
    /// process, once its exit status is in). In eof mode they are reported (<see cref="PortEof"/>,
    /// <see cref="PortExited"/>) but the port stays open, its input still writable, until it is
    /// closed explicitly (<see cref="Port.CloseAsync"/>, <see cref="Port.Dispose"/> or disposing the
    /// subscription); only then does the output complete. A framing error still ends the port.
    /// </summary>
    [Pure]
    public TSpec WithEofMode(bool stayOpenAfterEof = true) => With(Options with { StayOpenAfterEof = stayOpenAfterEof });

    /// <summary>
    /// Erlang's <c>busy_limits_port</c>, in its order: the port becomes busy when a write brings
    /// the queue (bytes accepted and not yet written) to <paramref name="high"/> or over (that
    /// write is accepted), and ready again when the queue falls below <paramref name="low"/>.
    /// Erlang's 4096 / 8192 by default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or <paramref name="low"/> is above <paramref name="high"/> (unlike Erlang, which accepts it).</exception>
    [Pure]
    public TSpec WithBusyLimits(long low, long high)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(low);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(high);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(low, high);
        return With(Options with { HighWatermark = high, LowWatermark = low });
    }

    /// <summary>Never busy (Erlang's <c>{busy_limits_port, disabled}</c>): writes are always accepted and the queue is unbounded.</summary>
    [Pure]
    public TSpec WithoutBusyMarks() => With(Options with { HighWatermark = 0, LowWatermark = 0 });

    /// <summary>How long closing keeps flushing queued input before dropping it (default 5 s; <see cref="Timeout.InfiniteTimeSpan"/> waits for as long as it takes).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    [Pure]
    public TSpec WithFlushTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) timeout = TimeSpan.MaxValue;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return With(Options with { FlushTimeout = timeout });
    }

    /// <summary>
    /// Zero-copy delivery (explicit opt-in): payloads are slices of the port's read buffer, valid
    /// only during <c>OnNext</c> — copy what you keep.
    /// </summary>
    [Pure]
    public TSpec WithZeroCopy(bool zeroCopy = true) => With(Options with { ZeroCopy = zeroCopy });

    /// <summary>
    /// The loop the port runs on. By default ports are spread, in turn, over the process-wide
    /// default loops, one per processor (<see cref="PollScheduler.Default"/> the first), each
    /// started when first needed.
    /// </summary>
    [Pure]
    public TSpec WithScheduler(PollScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return With(Options with { Scheduler = scheduler });
    }

    /// <summary>A copy of this spec with other options (a record's <c>with</c> keeps the concrete type).</summary>
    private protected TSpec With(PortOptions options) => (TSpec)(this with { Options = options });

    /// <summary>The loop to open on, checked before anything is started.</summary>
    private protected PollScheduler LoopToOpenOn()
    {
        var loop = Options.Scheduler ?? PollScheduler.NextDefault();
        ObjectDisposedException.ThrowIf(loop.IsDisposed, loop); // before a process exists, not after
        return loop;
    }
}

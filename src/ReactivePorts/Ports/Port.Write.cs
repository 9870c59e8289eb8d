using System.Threading.Channels;

namespace ReactivePorts;

public sealed partial class Port
{
    /// <summary>
    /// Sends one payload, framed with the port's framing. Completes when the port has accepted it
    /// (at once unless the port is busy; then when it is ready again, in order). The payload is
    /// copied on acceptance, so the caller may reuse its buffer afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">The payload is larger than the framing allows (the message names size and limit).</exception>
    /// <exception cref="InvalidOperationException">The port has no input (opened output-only from the child).</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">The returned task faults with it when an earlier write failed for good (EPIPE: the child went away).</exception>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        CheckWritable(payload.Length);
        try
        {
            return _core.AcceptAsync(payload, cancellationToken);
        }
        catch (IOException ex)
        {
            // An I/O failure is the operation's outcome, so it faults the task; usage errors
            // (disposed, no input, too large) stay synchronous.
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>
    /// Sends many payloads, each framed with the port's framing, as one command: the port takes
    /// them all at once, in order (at once unless the port is busy; then when it is ready again).
    /// For many small packets this is far cheaper than a write each: one lock, one hand-over to the
    /// loop, one system call for as many frames as fit. Like one large payload, an accepted batch
    /// may take the queue past the busy mark. The payloads are copied on acceptance, so the caller
    /// may reuse the list and its buffers once the returned task completes, not before.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="payloads"/> is null.</exception>
    /// <exception cref="ArgumentException">A payload is larger than the framing allows (nothing is sent).</exception>
    /// <exception cref="InvalidOperationException">The port has no input.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">The returned task faults with it when an earlier write failed for good.</exception>
    public ValueTask WriteBatchAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        CheckWritable(0);
        for (int i = 0; i < payloads.Count; i++)
            if (payloads[i].Length > _writeLimit) ThrowNotWritable(payloads[i].Length);
        if (payloads.Count == 0) return ValueTask.CompletedTask;
        try
        {
            return _core.AcceptManyAsync(payloads, cancellationToken);
        }
        catch (IOException ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>Sends one payload unless the port is busy (Erlang's <c>port_command(…, [nosuspend])</c>).</summary>
    /// <returns>False when the port is busy and nothing was sent.</returns>
    /// <exception cref="ArgumentException">The payload is larger than the framing allows.</exception>
    /// <exception cref="InvalidOperationException">The port has no input.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">An earlier write failed for good.</exception>
    public bool TryWrite(ReadOnlySpan<byte> payload)
    {
        CheckWritable(payload.Length);
        return _core.TryAccept(payload, force: false);
    }

    /// <summary>Sends one payload even when the port is busy (Erlang's <c>force</c>): the queue grows past the mark.</summary>
    /// <exception cref="ArgumentException">The payload is larger than the framing allows.</exception>
    /// <exception cref="InvalidOperationException">The port has no input.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">An earlier write failed for good.</exception>
    public void WriteForced(ReadOnlySpan<byte> payload)
    {
        CheckWritable(payload.Length);
        _core.TryAccept(payload, force: true);
    }

    /// <summary>The input as a <see cref="ChannelWriter{T}"/>: <c>TryWrite</c> fails while busy, <c>WaitToWriteAsync</c> waits until ready, <c>Complete</c> half-closes.</summary>
    public ChannelWriter<ReadOnlyMemory<byte>> Writer => _writer ??= new PortChannelWriter(this);

    private PortChannelWriter? _writer;

    /// <summary>Half-closes: the child's input gets end of file once everything queued is written; output keeps flowing.</summary>
    /// <exception cref="ObjectDisposedException">The port is closed.</exception>
    public void CompleteInput()
    {
        ThrowIfDisposed();
        _core.EndInput();
    }

    /// <summary>
    /// Closes the port: no more writes; what is queued is flushed, then the pipes are closed and
    /// the output completes. The child is not killed (unless opened with kill-on-close).
    /// Closing twice is a no-op.
    /// </summary>
    /// <param name="flushTimeout">How long to keep flushing; then the rest is dropped. Default: the port's flush timeout (5 s).</param>
    /// <returns>The number of queued bytes dropped (0 when everything was flushed).</returns>
    public Task<long> CloseAsync(TimeSpan? flushTimeout = null)
    {
        if (flushTimeout is { } t) ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, nameof(flushTimeout));
        Interlocked.Exchange(ref _disposed, 1);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.CloseInput();
        try
        {
            Scheduler.Post(static s =>
            {
                var (port, timeout, done) = s;
                port._core.BeginClose(timeout, done);
            }, (this, flushTimeout ?? _options.FlushTimeout, done));
            // Kill-on-close runs when the port has closed (IPortSink.OnClosed), after the flush, for
            // every way of closing: this call, Dispose, or disposing the output's subscription.
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone, and every descriptor with it.
            done.TrySetResult(0);
        }
        return done.Task;
    }

    /// <summary>Starts closing the port (see <see cref="CloseAsync"/>) without waiting.</summary>
    public void Dispose() => _ = CloseAsync();

    /// <summary>Closes the port and waits until it is flushed and closed.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private void CheckWritable(int length)
    {
        ThrowIfDisposed();
        // One compare on the hot path: the limit is worked out once (see WriteLimit).
        if (length > _writeLimit) ThrowNotWritable(length);
    }

    /// <summary>The largest payload a write takes: -1 without input to the child; the header's and the format's limit for length-prefixed framing; any size otherwise.</summary>
    private int WriteLimit()
    {
        if (!_options.HasInput) return -1;
        var framing = _options.Framing;
        if (framing.HeaderSize == 0) return int.MaxValue;
        long limit = framing.HeaderSize switch { 1 => byte.MaxValue, 2 => ushort.MaxValue, _ => uint.MaxValue };
        return (int)Math.Min(Math.Min(limit, framing.MaxPacketSize), int.MaxValue);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowNotWritable(int length)
    {
        if (!_options.HasInput)
            throw new InvalidOperationException($"Port '{_name}' was opened without input to the child: it cannot be written to.");
        throw new ArgumentException($"The payload of {length} bytes is larger than the limit of {_writeLimit} bytes for {_options.Framing}.", "payload");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Whether the user closed the port (as opposed to the port ending by itself).</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal Task WhenWritableAsync(CancellationToken cancellationToken) => _core.WhenReadyAsync(cancellationToken);

    private sealed class PortChannelWriter(Port port) : ChannelWriter<ReadOnlyMemory<byte>>
    {
        public override bool TryWrite(ReadOnlyMemory<byte> item) => port.TryWrite(item.Span);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> item, CancellationToken cancellationToken = default) =>
            port.WriteAsync(item, cancellationToken);

        public override async ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default)
        {
            if (Volatile.Read(ref port._disposed) != 0) return false;
            await port.WhenWritableAsync(cancellationToken).ConfigureAwait(false);
            return Volatile.Read(ref port._disposed) == 0;
        }

        public override bool TryComplete(Exception? error = null)
        {
            if (Volatile.Read(ref port._disposed) != 0) return false;
            if (error is null) port.CompleteInput();
            else port.Dispose();
            return true;
        }
    }
}

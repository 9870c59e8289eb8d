using System.Threading.Channels;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts;

public sealed partial class Port
{
    /// <summary>
    /// Sends one payload, framed with the port's framing. Completes when the port has accepted it
    /// (at once unless the port is busy; then when it is ready again, in order). The payload is
    /// copied on acceptance, so the caller may reuse its buffer afterwards.
    /// </summary>
    /// <exception cref="PacketTooLargeException">The payload is larger than the framing allows (size and limit in the exception); the port stays usable.</exception>
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
    /// <exception cref="PacketTooLargeException">A payload is larger than the framing allows (nothing is sent).</exception>
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
    /// <exception cref="PacketTooLargeException">The payload is larger than the framing allows.</exception>
    /// <exception cref="InvalidOperationException">The port has no input.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">This write or an earlier one met a dead input (EPIPE: the child went away or closed its input).</exception>
    public bool TryWrite(ReadOnlySpan<byte> payload)
    {
        CheckWritable(payload.Length);
        return _core.TryAccept(payload, force: false);
    }

    /// <summary>Sends one payload even when the port is busy (Erlang's <c>force</c>): the queue grows past the mark.</summary>
    /// <exception cref="PacketTooLargeException">The payload is larger than the framing allows.</exception>
    /// <exception cref="InvalidOperationException">The port has no input.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed.</exception>
    /// <exception cref="IOException">An earlier write failed for good.</exception>
    public void WriteForced(ReadOnlySpan<byte> payload)
    {
        CheckWritable(payload.Length);
        _core.TryAccept(payload, force: true);
    }

    /// <summary>
    /// Sends one payload, blocking the calling thread while the port is busy (Erlang's default
    /// <c>port_command</c>); returns once the port has accepted it (copied). A close releases a
    /// blocked caller with <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a poll loop's thread, which must never block (use <see cref="WriteAsync"/> or <see cref="TryWrite"/> there).</exception>
    /// <exception cref="PacketTooLargeException">The payload is larger than the framing allows.</exception>
    /// <exception cref="ObjectDisposedException">The port or its input is closed, also while waiting.</exception>
    /// <exception cref="IOException">The write met a dead input (EPIPE).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled while waiting (nothing was sent).</exception>
    public void Write(ReadOnlySpan<byte> payload, CancellationToken cancellationToken = default)
    {
        if (PollScheduler.IsOnAnyLoopThread)
            throw new InvalidOperationException($"Port.Write blocks while port '{_name}' is busy, and a poll loop's thread must never block: use WriteAsync or TryWrite there.");
        CheckWritable(payload.Length);
        if (_core.TryAccept(payload, force: false)) return;
        // Busy: wait in line with the asynchronous writers (the payload is copied to wait).
        _core.AcceptAsync(payload.ToArray(), cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Erlang's <c>exit(Port, Reason)</c>: closes the port at once without flushing — what is queued
    /// is dropped — and ends it with <paramref name="reason"/>: subscribers get a
    /// <see cref="PortAbortedException"/> carrying it, or plain completion for <c>"normal"</c>. The
    /// child is not killed (unless the port kills on close).
    /// </summary>
    /// <param name="reason">Why ("killed" by default, as Erlang's <c>exit(Port, kill)</c> reports; "normal" ends normally).</param>
    /// <returns>Completes when the port is closed, with the number of accepted bytes never written.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public Task<long> AbortAsync(string reason = PortAbortedException.Killed)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Interlocked.Exchange(ref _disposed, 1);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.CloseInput();
        Exception? error = reason == PortAbortedException.Normal ? null : new PortAbortedException(_name, reason);
        try
        {
            Scheduler.Post(static s =>
            {
                var (port, error, done) = s;
                port._core.Abort(error);
                port._core.BeginClose(TimeSpan.Zero, done); // already closed: reports what was never written
            }, (this, error, done), static s => s.done.TrySetResult(s.Item1._core.UnwrittenBytes));
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone, and every descriptor with it.
            done.TrySetResult(0);
        }
        return done.Task;
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
    /// Closes the port: no more writes, and writers waiting on a busy port fail with
    /// <see cref="ObjectDisposedException"/>; the output and events complete at once (nothing more
    /// is delivered), while what is queued keeps being written in the background (Erlang's flush)
    /// until done or <paramref name="flushTimeout"/>; then the pipes are closed. The child is not
    /// killed (unless opened with kill-on-close). Closing twice is a no-op.
    /// </summary>
    /// <param name="flushTimeout">How long to keep flushing; then the rest is dropped. Default: the port's flush timeout (5 s).</param>
    /// <returns>Completes when the flush has ended, with the number of accepted bytes never written (0 when everything was).</returns>
    public Task<long> CloseAsync(TimeSpan? flushTimeout = null)
    {
        if (flushTimeout == Timeout.InfiniteTimeSpan) flushTimeout = TimeSpan.MaxValue;
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
            }, (this, flushTimeout ?? _options.FlushTimeout, done), static s => s.done.TrySetResult(s.Item1._core.UnwrittenBytes));
            // Kill-on-close runs when the port is torn down (IPortSink.OnFinished), after the flush,
            // for every way of closing: this call, Dispose, or disposing the output's subscription.
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
            throw new InvalidOperationException($"Port '{_name}' has no input (opened without it, or its driver '{_driver.Name}' takes none): it cannot be written to.");
        throw PacketTooLargeException.ForPayload(length, _writeLimit, _options.Framing);
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

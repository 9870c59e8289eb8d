using ReactivePorts.Polling;

namespace ReactivePorts;

public sealed partial class Port
{
    /// <summary>
    /// Sends a control operation to the port's driver (Erlang's <c>port_control</c>) and returns its
    /// reply. On the port's loop thread the driver runs inline; from any other thread the call is
    /// posted to the loop and waited for.
    /// </summary>
    /// <param name="operation">The driver-defined operation code.</param>
    /// <param name="data">The operation's argument bytes.</param>
    /// <returns>The driver's reply.</returns>
    /// <exception cref="NotSupportedException">The driver has no such operation (the built-in spawn driver has none).</exception>
    /// <exception cref="InvalidOperationException">Called on another poll loop's thread, which must not block: use <see cref="ControlAsync"/>.</exception>
    /// <exception cref="ObjectDisposedException">The port is closed.</exception>
    public byte[] Control(int operation, ReadOnlySpan<byte> data) => Invoke(operation, data, call: false);

    /// <summary>
    /// Makes a synchronous call to the port's driver (Erlang's <c>erlang:port_call</c>), as
    /// <see cref="Control"/> but for the driver's structured requests.
    /// </summary>
    /// <param name="command">The driver-defined command.</param>
    /// <param name="data">The call's argument bytes.</param>
    /// <returns>The driver's reply.</returns>
    /// <exception cref="NotSupportedException">The driver has no such command.</exception>
    /// <exception cref="InvalidOperationException">Called on another poll loop's thread, which must not block.</exception>
    /// <exception cref="ObjectDisposedException">The port is closed.</exception>
    public byte[] Call(int command, ReadOnlySpan<byte> data) => Invoke(command, data, call: true);

    private byte[] Invoke(int operation, ReadOnlySpan<byte> data, bool call)
    {
        ThrowIfDisposed();
        if (Scheduler.IsLoopThread) return _core.Control(operation, data, call);
        if (PollScheduler.IsOnAnyLoopThread)
            throw new InvalidOperationException($"Port '{_name}' runs on another poll loop; waiting for it here would block this loop. Use ControlAsync.");
        // GetResult rethrows the driver's own exception, not an AggregateException.
        return InvokeAsync(operation, data.ToArray(), call, default).GetAwaiter().GetResult();
    }

    /// <summary>Sends a control operation to the port's driver on its loop; the task completes with the reply or the driver's exception.</summary>
    /// <param name="operation">The driver-defined operation code.</param>
    /// <param name="data">The operation's argument bytes (read on the loop: do not change them until the task completes).</param>
    /// <param name="cancellationToken">Stops waiting (the operation may still run).</param>
    /// <returns>The driver's reply.</returns>
    /// <exception cref="ObjectDisposedException">The port is closed.</exception>
    public Task<byte[]> ControlAsync(int operation, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        InvokeAsync(operation, data, call: false, cancellationToken);

    private Task<byte[]> InvokeAsync(int operation, ReadOnlyMemory<byte> data, bool call, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var reply = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            Scheduler.Post(static s =>
            {
                var (port, operation, data, call, reply) = s;
                try
                {
                    reply.TrySetResult(port._core.Control(operation, data.Span, call));
                }
                catch (Exception ex)
                {
                    // The driver's answer, good or bad, belongs to the caller; the loop carries on.
                    reply.TrySetException(ex);
                }
            }, (this, operation, data, call, reply), static s => s.reply.TrySetException(new ObjectDisposedException(nameof(PollScheduler), "The port's poll loop was disposed.")));
        }
        catch (ObjectDisposedException ex)
        {
            // The loop is gone, and the port with it.
            reply.TrySetException(ex);
        }
        return reply.Task.WaitAsync(cancellationToken);
    }
}

using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace TcpPortSample;

/// <summary>
/// A TCP client port over a connected socket, written on the public driver API only (no P/Invoke):
/// what the user writes goes to the socket (straight from the writer's thread while the port is
/// idle, queued while the socket is full, so the port turns busy); what arrives is framed by the
/// port (<c>{packet,4}</c>, say) and delivered as packets. The peer closing ends the port (Erlang's
/// <c>exit_on_close</c>); a reset or a failed write fails it with the errno. Open it with
/// <c>Port.Driver(() => new TcpClientDriver(socket)).WithFraming(FrameFormat.LengthPrefixed(4)).Open()</c>.
/// </summary>
/// <remarks>
/// The driver owns the socket from then on and closes it when the port ends: gracefully (FIN, after
/// everything queued was written) on a normal close, as <see cref="Socket.Dispose()"/> does.
/// </remarks>
public sealed class TcpClientDriver : PortDriver
{
    /// <summary>Control operation: the peer's address as UTF-8 (<c>"127.0.0.1:5555"</c>), as <c>inet:peername/1</c>.</summary>
    public const int GetRemoteEndPoint = 1;

    /// <summary>Control operation: sets TCP_NODELAY from one byte (0 off, else on); replies with the previous value as one byte.</summary>
    public const int SetNoDelay = 2;

    private readonly Socket _socket;
    private bool _selected;     // the socket is the port's: stop_select closes it
    private bool _readClosed;   // eof seen (or the port stopped reading): no more read interest
    private bool _writeClosed;  // half-closed or a write failed: input is ignored

    /// <summary>A driver for <paramref name="socket"/>, which it owns from now on (one port per driver).</summary>
    /// <exception cref="ArgumentException">The socket is not a connected stream socket.</exception>
    public TcpClientDriver(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Stream || !socket.Connected)
            throw new ArgumentException("A connected stream socket is needed.", nameof(socket));
        _socket = socket;
        Handle = socket.SafeHandle;
    }

    /// <inheritdoc />
    public override string Name => "tcp";

    /// <summary>The driver API this driver was written against (checked when drivers are loaded at run time).</summary>
    public override Version ApiVersion { get; } = new(1, 0);

    private SafeHandle Handle { get; }

    /// <inheritdoc />
    protected override void OnStart()
    {
        _socket.Blocking = false; // the loop must never block on it
        Context.Select(Handle, PollEvents.Readable);
        _selected = true;
        // Writers on other threads write to the socket themselves while the port is idle (Erlang's
        // "a command to an idle port goes straight to the fd"); the rest reaches OnInput on the loop.
        Context.EnableDirectWrites(Handle);
    }

    /// <inheritdoc />
    protected override void OnReadable(SafeHandle handle)
    {
        if (_readClosed) return;
        var result = Context.IO.ReadAndDeliver(handle);
        switch (result.Status)
        {
            case IOStatus.EndOfStream:
                // The peer closed its side. Reading stops before eof is delivered: delivering it
                // ends the port (which deselects the socket), unless the port is in eof mode, where
                // it stays writable and a level-triggered readable eof must not be reported forever.
                StopReading();
                Context.DeliverEof();
                break;
            case IOStatus.Failed:
                Context.FailErrno(result.Errno); // ECONNRESET, ETIMEDOUT…
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        if (_writeClosed) return; // already reported
        var result = Context.IO.WriteOrQueue(Handle, data);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    /// <inheritdoc />
    protected override void OnWritable(SafeHandle handle)
    {
        if (_writeClosed) return;
        var result = Context.IO.WriteQueue(handle);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    /// <inheritdoc />
    protected override void OnInputFailed(int errno) => WriteFailed(errno); // a direct write met the dead connection

    private void WriteFailed(int errno)
    {
        // EPIPE or ECONNRESET: the connection is gone both ways. Writers learn it (later writes
        // throw IOException), then the port fails, as Erlang's exit_on_close does.
        _writeClosed = true;
        Context.DisableDirectWrites();
        Context.ReportWriteError(errno);
        Context.FailErrno(errno);
    }

    /// <inheritdoc />
    protected override void OnInputEnd()
    {
        // Half-close: everything written has been sent; the peer sees eof, and can still answer.
        _writeClosed = true;
        Context.DisableDirectWrites();
        _socket.Shutdown(SocketShutdown.Send);
    }

    /// <inheritdoc />
    protected override void OnStopReading() => StopReading();

    private void StopReading()
    {
        _readClosed = true;
        // Select replaces the interest: keep asking for writability while something is queued.
        if (_selected) Context.Select(Handle, Context.QueueSize > 0 ? PollEvents.Writable : PollEvents.None);
    }

    /// <inheritdoc />
    protected override byte[] OnControl(int operation, ReadOnlySpan<byte> data) => operation switch
    {
        GetRemoteEndPoint => Encoding.UTF8.GetBytes(_socket.RemoteEndPoint?.ToString() ?? ""),
        SetNoDelay => ChangeNoDelay(data),
        _ => base.OnControl(operation, data), // NotSupportedException
    };

    private byte[] ChangeNoDelay(ReadOnlySpan<byte> data)
    {
        if (data.Length != 1) throw new ArgumentException("SetNoDelay takes one byte: 0 (off) or 1 (on).", nameof(data));
        bool previous = _socket.NoDelay;
        _socket.NoDelay = data[0] != 0;
        return [previous ? (byte)1 : (byte)0];
    }

    /// <summary>
    /// The socket is no longer watched: close it. The <see cref="Socket"/> is disposed, not the
    /// handle it owns: disposing the handle alone closes abortively (RST, linger 0), which would
    /// throw away what is still in the kernel's send buffer; disposing the socket closes
    /// gracefully, so a close that flushed the queue also delivers it.
    /// </summary>
    protected override void OnStopSelect(SafeHandle handle) => _socket.Dispose();

    /// <inheritdoc />
    protected override void OnStop()
    {
        // A socket that was never selected (the port closed before the driver started) is closed
        // here; a selected one is closed by OnStopSelect once the port has deselected it.
        if (!_selected) _socket.Dispose();
    }
}

using ReactivePorts.Drivers.Fd;
using ReactivePorts.Interop;

namespace ReactivePorts.Drivers.Vanilla;

/// <summary>
/// Erlang's vanilla driver (<c>vanilla_start</c>): a port on a file opened by name — a regular
/// file, a FIFO, a device — with Erlang's open flags, non-blocking, owned and closed by the port.
/// A FIFO opened for writing before anyone reads it cannot be opened yet (ENXIO, with no readiness
/// to wait for): the driver retries on the port's timer with backoff, never blocking a thread, and
/// acknowledges its start once the FIFO is open, or fails it when the open times out.
/// </summary>
internal sealed class VanillaDriver : DescriptorDriver
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(50);

    private readonly string _path;
    private readonly int _flags;
    private readonly bool _read;
    private readonly bool _write;
    private readonly TimeSpan _openTimeout;
    private SafeFdHandle? _handle;
    private TimeSpan _retry = FirstRetry;
    private System.Reactive.Concurrency.IStopwatch? _waiting; // on the loop's monotonic clock (virtual in tests)

    /// <param name="path">The file's path (for errors and retries).</param>
    /// <param name="flags">The flags of the open (retried with the same ones).</param>
    /// <param name="read">Whether the port reads the file.</param>
    /// <param name="write">Whether the port writes the file.</param>
    /// <param name="handle">The open file, or null while a FIFO waits for its reader.</param>
    /// <param name="openTimeout">How long to wait for that reader.</param>
    internal VanillaDriver(string path, int flags, bool read, bool write, SafeFdHandle? handle, TimeSpan openTimeout)
    {
        _path = path;
        _flags = flags;
        _read = read;
        _write = write;
        _handle = handle;
        _openTimeout = openTimeout;
    }

    public override string Name => "vanilla";

    public override bool UsesStartAcknowledgement => true;

    protected override void OnStart()
    {
        if (_handle is not null)
        {
            Begin();
            return;
        }
        _waiting = Context.Scheduler.StartStopwatch();
        Context.SetTimer(_retry);
    }

    protected override void OnTimeout()
    {
        int rc = Libc.TryOpen(_path, _flags, 0x1B6, out _handle);
        if (rc == 0)
        {
            Begin();
            return;
        }
        if (rc != -Libc.ENXIO)
        {
            Context.Fail(Libc.IOError("open", -rc, _path));
            return;
        }
        if (_waiting!.Elapsed >= _openTimeout)
        {
            Context.Fail(new TimeoutException($"No reader opened the FIFO '{_path}' within {_openTimeout.TotalSeconds:0.###} s.", Libc.IOError("open", Libc.ENXIO, _path)));
            return;
        }
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, LongestRetry.Ticks));
        Context.SetTimer(_retry);
    }

    private void Begin()
    {
        var handle = _handle!;
        Adopt(handle, owned: true);
        // Opened O_NONBLOCK: a FIFO, a terminal or a socket is written on the loop; a regular file,
        // which the loop cannot watch (and which never says EAGAIN), off it.
        StartStreams(_read ? handle : null, _write ? handle : null, nonBlockingOutput: true);
        Context.AcknowledgeStart();
    }

    protected override void OnStop()
    {
        if (_handle is { } handle) Adopt(handle, owned: true); // opened but never started: closed all the same
        base.OnStop();
    }
}

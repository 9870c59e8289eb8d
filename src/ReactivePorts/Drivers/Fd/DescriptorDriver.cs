using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers.Fd;

/// <summary>
/// What the fd and vanilla drivers share (Erlang's <c>fd</c> and <c>vanilla</c> drivers run on the
/// same code in <c>sys_drivers.c</c>): one descriptor read from and one written to (possibly the
/// same, or only one of them), whatever they are — pipe, socket, terminal, FIFO, regular file —
/// written on the public driver API only. How each stream is driven is decided once, at start:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Input the loop can watch is selected for reading. A non-blocking one is read until it is
/// drained (<see cref="DescriptorIO.ReadAndDeliver"/>); a blocking one, which is not ours to change,
/// gets exactly one read per readiness (Erlang's <c>ready_input</c>), which cannot block.</item>
/// <item>Input the loop cannot watch (a regular file: epoll says EPERM) is read off the loop by
/// async work, one read at a time, and only while reading is not paused.</item>
/// <item>Non-blocking output the loop can watch is written as the spawn driver writes (straight
/// from an idle writer's thread, else queued and written on writability).</item>
/// <item>Any other output (blocking, as pipes and sockets handed over by a parent stay; a regular
/// file) is written off the loop by async work under one key, from the driver queue: bytes stay
/// queued until written, so order, the queue size and busy are exact, and a close flushes them.</item>
/// </list>
/// Handles the port does not own are never closed (a reference is held on them for the port's life
/// so the descriptor number cannot be closed and reused under it); owned ones are closed at stop.
/// </remarks>
internal abstract partial class DescriptorDriver : PortDriver
{
    private const int ReadSize = 64 * 1024;

    private readonly List<SafeHandle> _owned = new(2);
    private readonly List<SafeHandle> _referenced = new(2);
    private bool _stopped;

    /// <summary>Whether <paramref name="handle"/> is the port's to close; a handle not owned is referenced for the port's life instead.</summary>
    private protected void Adopt(SafeHandle handle, bool owned)
    {
        if (_owned.Contains(handle) || _referenced.Contains(handle)) return;
        if (owned)
        {
            _owned.Add(handle);
            return;
        }
        bool added = false;
        handle.DangerousAddRef(ref added); // ObjectDisposedException: closed before the port started
        _referenced.Add(handle);
    }

    /// <summary>Starts the streams (from <see cref="PortDriver.OnStart"/> or a later acknowledged start).</summary>
    /// <param name="input">Read from, or null.</param>
    /// <param name="output">Written to, or null; may be <paramref name="input"/>.</param>
    /// <param name="nonBlockingOutput">The output is (or was just made) non-blocking and may be written on the loop.</param>
    /// <exception cref="IOException">A descriptor could not be examined (EBADF).</exception>
    private protected void StartStreams(SafeHandle? input, SafeHandle? output, bool nonBlockingOutput)
    {
        _input = input;
        _output = output;
        if (output is not null)
        {
            // Disarmed at once: only whether the loop can watch it matters here.
            _outputOnLoop = nonBlockingOutput && TrySelect(output, PollEvents.Writable);
            if (_outputOnLoop) Context.Select(output, PollEvents.None);
        }
        if (input is not null)
        {
            if (TrySelect(input, PollEvents.Readable))
            {
                int flags = Context.IO.GetStatusFlags(input);
                if (flags < 0) throw Libc.IOError("fcntl(F_GETFL)", -flags);
                _inputNonBlocking = (flags & Libc.O_NONBLOCK) != 0;
            }
            else
            {
                _inputOffLoop = true;
                _readBuffer = new byte[ReadSize];
                if (!Context.IsReadingPaused) ReadOffLoop();
            }
        }
        if (_outputOnLoop) Context.EnableDirectWrites(output!);
    }

    /// <summary>Selects <paramref name="handle"/> on the port's loop; false when epoll cannot watch it (EPERM: a regular file, <c>/dev/null</c>), which is then driven off the loop.</summary>
    private bool TrySelect(SafeHandle handle, PollEvents interest)
    {
        try
        {
            Context.Select(handle, interest);
            return true;
        }
        catch (IOException ex) when (ex.HResult == Libc.EPERM)
        {
            // The kernel's own answer: this descriptor has no poll method.
            return false;
        }
    }

    /// <summary>Handles are closed here (owned ones) or let go (the others), never on deselect: see <see cref="OnStop"/>.</summary>
    protected override void OnStopSelect(SafeHandle handle) { }

    protected override void OnStop()
    {
        // The port deselects what is selected after this; a registration holds its own reference,
        // so an owned descriptor is really closed only once the loop can no longer report it, and
        // one being written by async work only when that write returns.
        _stopped = true;
        _inputDone = _outputDone = true;
        foreach (var handle in _referenced) handle.DangerousRelease();
        _referenced.Clear();
        foreach (var handle in _owned) handle.Dispose();
        _owned.Clear();
    }

    /// <summary>Whether the port has stopped (async completions that arrive later do nothing).</summary>
    private protected bool IsStopped => _stopped;
}

using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Erlang's spawn driver: a child process behind pipes, the parent's ends non-blocking and driven
/// by the poll loop, written on the public driver API. Input goes straight to the child's pipe
/// while it takes it (from the writer's thread when the port is idle) and is queued otherwise;
/// output is read and framed by the port; the exit status comes from the child's pidfd, readable
/// on the same loop.
/// </summary>
internal sealed partial class SpawnDriver : PortDriver
{
    private readonly ChildProcess _child;
    private SafeFdHandle? _stdin;   // parent's write end of the child's input
    private SafeFdHandle? _stdout;  // parent's read end of the child's output
    private SafeFdHandle? _stderr;  // parent's read end of the child's stderr, when captured apart
    private readonly int _readSize; // bytes per read
    private ChildWatcher? _watcher;
    private int _openStreams;
    private int _fullOutputReads; // readiness events that found at least a full read waiting; -1 once the pipe grew (or will not)
    private int _framesOverPipe;  // input segments larger than the input pipe; -1 once it grew (or will not)

    /// <summary>Times a pipe must prove too small before it grows (see <see cref="GrowOutputPipe"/> and <see cref="GrowInputPipe"/>).</summary>
    internal const int SignsBeforeGrowing = 16;

    /// <summary>The capacity a streaming child's output pipe grows to, and the least an input pipe grows to.</summary>
    internal const int GrownPipeSize = 256 * 1024;

    internal SpawnDriver(ChildProcess child, SafeFdHandle? stdin, SafeFdHandle? stdout, SafeFdHandle? stderr, int readBufferSize, bool growPipes = false)
    {
        _child = child;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _readSize = readBufferSize;
        _fullOutputReads = _framesOverPipe = growPipes ? 0 : -1;
    }

    public override string Name => "spawn";

    internal ChildProcess Child => _child;

    /// <summary>The capacity of the child's input pipe as the kernel reports it (F_GETPIPE_SZ), or 0 without one; measured at start.</summary>
    internal int InputPipeSize { get; private set; }

    protected override void OnStart()
    {
        Context.SetOsPid(_child.Pid);
        // Watched first: whatever fails below, the child is still reaped and its status reported.
        _watcher = new ChildWatcher(_child, Context.ReportExit);
        _watcher.Start(Context.Scheduler);
        if (_stdout is not null) { Context.Select(_stdout, PollEvents.Readable); _openStreams++; }
        if (_stderr is not null) { Context.Select(_stderr, PollEvents.Readable); _openStreams++; }
        if (_stdin is not null)
        {
            InputPipeSize = Math.Max(0, Libc.GetPipeSize(_stdin));
            Context.Select(_stdin, PollEvents.None);
            Context.EnableDirectWrites(_stdin);
        }
    }

    protected override void OnProcessExit(ExitStatus status)
    {
        // A port with nothing to read (the child only reads) stays open, and writable, until it is
        // closed or its child exits: the exit is its end of output.
        if (_stdout is null && _stderr is null && _openStreams == 0) Context.DeliverEof();
    }

    protected override void OnReadable(SafeHandle handle)
    {
        var fd = (SafeFdHandle)handle;
        IOResult result;
        if (ReferenceEquals(fd, _stderr))
        {
            // Standard error is not framed: each read is delivered as one chunk, copied.
            var buffer = Context.Scheduler.GetReadBuffer(_readSize);
            result = Context.IO.Read(fd, buffer.AsSpan(0, _readSize));
            if (result.Status == IOStatus.Done) Context.DeliverStandardError(buffer.AsSpan(0, (int)result.Bytes).ToArray());
        }
        else
        {
            result = Context.IO.ReadAndDeliver(fd, _readSize);
            // A readiness that finds a whole read waiting means the pipe was full: the child was
            // (or was about to be) blocked on it. A child that keeps doing that is streaming.
            // (Delivery runs user code, which may have ended the port and closed the pipe meanwhile.)
            if (_fullOutputReads >= 0 && result.Bytes >= _readSize && ++_fullOutputReads == SignsBeforeGrowing
                && ReferenceEquals(fd, _stdout) && Context.IsSelected(fd)) GrowOutputPipe(fd);
        }
        // End of file; any other error (EIO...) ends this stream just the same.
        if (result.Status is IOStatus.EndOfStream or IOStatus.Failed) EndOfStream(fd, reportEof: true);
    }

    /// <summary>
    /// Gives a streaming child's output pipe 256 KiB (four times the default), once, when the 16th
    /// readiness finds a whole read waiting: the child keeps blocking on a full pipe while the loop
    /// is busy elsewhere. Measured with the comparison runner (alternating with the build before):
    /// 1 KiB packets +17 %, raw 64 KiB chunks +4 %, 64 B and 64 KiB packets +4–5 %. Not every pipe
    /// from the start: the kernel charges capacity to the user (<c>pipe-user-pages-soft</c>: 1,024
    /// default pipes for an unprivileged user), so ports that never stream keep the default; over that
    /// quota the kernel refuses (EPERM) and the pipe stays as it is. Not done when the caller chose a
    /// size (<c>WithPipeSize</c>). The input pipe grows on another sign (<see cref="GrowInputPipe"/>):
    /// growing it as the output's measured nothing at 1 KiB and −8 % for raw chunks.
    /// </summary>
    private void GrowOutputPipe(SafeFdHandle stdout)
    {
        _fullOutputReads = -1;
        _ = Libc.SetPipeSize(stdout, GrownPipeSize); // -EPERM over the user's quota: keeps its size
    }

    /// <summary>
    /// Gives the child's input pipe room for two frames (twice the segment, 256 KiB to 1 MiB, the
    /// unprivileged maximum), once, at the 16th segment larger than the pipe: such a frame never
    /// fits, so every one of them meets a full pipe and waits for the child to read. Measured with
    /// 64 KiB packets (alternating with the build before): +16 % batched, +15 % one <c>WriteAsync</c>
    /// each, raw chunks unchanged. Frames that fit are left alone: growing the input pipe whenever it
    /// filled up measured −8 % for 64 KiB raw chunks and nothing at 1 KiB.
    /// </summary>
    private void GrowInputPipe(SafeFdHandle stdin, int frameBytes)
    {
        _framesOverPipe = -1;
        int size = Libc.SetPipeSize(stdin, (int)Math.Clamp(2L * frameBytes, GrownPipeSize, 1 << 20));
        if (size > 0) InputPipeSize = size; // -EPERM over the user's quota: keeps its size
    }

    private void EndOfStream(SafeFdHandle fd, bool reportEof)
    {
        Context.Deselect(fd);
        if (ReferenceEquals(fd, _stdout)) _stdout = null;
        if (ReferenceEquals(fd, _stderr)) _stderr = null;
        if (--_openStreams == 0 && reportEof) Context.DeliverEof();
    }

    protected override void OnStopReading()
    {
        if (_stdout is { } stdout) EndOfStream(stdout, reportEof: false);
        if (_stderr is { } stderr) EndOfStream(stderr, reportEof: false);
    }

    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        if (_stdin is not { } stdin) return; // input already failed or closed: the port reported it
        // A segment larger than the pipe is one frame or its tail (coalesced batches are at most
        // 64 KiB, the default capacity; a user over the pipe quota gets 8 KiB pipes, whose growth the
        // kernel then refuses anyway).
        if (_framesOverPipe >= 0 && data.Length > InputPipeSize && ++_framesOverPipe == SignsBeforeGrowing) GrowInputPipe(stdin, data.Length);
        var result = Context.IO.WriteOrQueue(stdin, data);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    protected override void OnWritable(SafeHandle handle)
    {
        if (_stdin is not { } stdin) return;
        var result = Context.IO.WriteQueue(stdin);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    private void WriteFailed(int errno)
    {
        // EPIPE: the child closed its input or exited. Reading goes on; the exit status still comes.
        if (_stdin is { } stdin) Context.Deselect(stdin);
        _stdin = null;
        Context.ReportWriteError(errno);
    }

    protected override void OnInputEnd()
    {
        // Half-close: the child sees end of file on its input while its output keeps flowing.
        if (_stdin is { } stdin) Context.Deselect(stdin);
        _stdin = null;
    }

    /// <summary>Closes the pipe ends of a driver that never started on a port.</summary>
    internal void ReleaseUnstarted()
    {
        _stdin?.Dispose();
        _stdout?.Dispose();
        _stderr?.Dispose();
        _stdin = _stdout = _stderr = null;
    }

    protected override void OnStop()
    {
        if (_watcher is null)
        {
            // Never started (its loop went away first): nothing watches the child or owns the
            // pipes yet. The reaper takes the child, so it is reaped and the exit task completes.
            ReleaseUnstarted();
            ChildReaper.Adopt(_child, Context.ReportExit);
            return;
        }
        // The pipes are closed by the port (deselect, then stop_select disposes them). The child is
        // not killed (Erlang's rule); the watcher stays on the loop until it is reaped.
        _stdin = _stdout = _stderr = null;
    }
}

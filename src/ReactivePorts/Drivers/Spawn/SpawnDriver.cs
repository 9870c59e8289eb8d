using System.Buffers;
using System.Runtime.InteropServices;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Erlang's spawn driver: a child process behind two pipes, the parent's ends non-blocking and
/// driven by the poll loop. Output goes straight to the pipe while it takes it and is queued
/// otherwise; input is read in chunks and framed by the port; the exit status comes from the
/// child's pidfd, readable on the same loop.
/// </summary>
internal sealed partial class SpawnDriver : PortDriver
{
    private readonly ChildProcess _child;
    private SafeFdHandle? _stdin;   // parent's write end of the child's input
    private SafeFdHandle? _stdout;  // parent's read end of the child's output
    private SafeFdHandle? _stderr;  // parent's read end of the child's stderr, when captured apart
    private readonly bool _zeroCopy;
    private readonly int _readSize; // bytes per read, from the loop's shared read buffer
    private readonly ReadOnlyMemory<byte>[] _peek = new ReadOnlyMemory<byte>[64];
    private readonly MemoryHandle[] _handles = new MemoryHandle[64];
    private ChildWatcher? _watcher;
    private int _openInputs;

    internal SpawnDriver(ChildProcess child, SafeFdHandle? stdin, SafeFdHandle? stdout, SafeFdHandle? stderr, int readBufferSize, bool zeroCopy)
    {
        _child = child;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _zeroCopy = zeroCopy;
        _readSize = readBufferSize;
    }

    public override string Name => "spawn";

    internal ChildProcess Child => _child;

    /// <summary>The capacity of the child's input pipe as the kernel reports it (F_GETPIPE_SZ), or 0 without one; measured at start.</summary>
    internal int InputPipeSize { get; private set; }

    protected internal override void OnStart()
    {
        Port.SetOsPid(_child.Pid);
        if (_stdin is not null) InputPipeSize = Math.Max(0, Libc.GetPipeSize(_stdin));
        if (_stdout is not null) { Port.Select(_stdout, PollEvents.Readable); _openInputs++; }
        if (_stderr is not null) { Port.Select(_stderr, PollEvents.Readable); _openInputs++; }
        if (_stdin is not null) Port.Select(_stdin, PollEvents.None);
        _watcher = new ChildWatcher(_child, Port);
        _watcher.Start();
        if (_openInputs == 0) Port.DeliverEof(); // output-only: nothing to read, the exit ends it
    }

    protected internal override void OnReadyInput(SafeHandle handle)
    {
        bool isStderr = ReferenceEquals(handle, _stderr);
        var fd = (SafeFdHandle)handle;
        // A few reads per readiness, then back to the loop so other ports get their turn.
        var loop = Port.Scheduler;
        bool donate = !isStderr && !_zeroCopy;
        for (int reads = 0; reads < 8; reads++)
        {
            // The rest of a packet larger than a read goes straight into the packet (the kernel
            // copies it once); what follows goes where any read goes. Owned delivery reads into the
            // loop's donation slabs (payloads are slices of the read, never copied); zero-copy and
            // stderr read into the loop's shared buffer. A read always asks for _readSize bytes
            // after the packet's rest.
            var packet = isStderr ? Memory<byte>.Empty : Port.AssemblySpace;
            Memory<byte> space, next = default;
            if (donate) loop.GetDonationSpace(_readSize, out space, out next);
            else space = loop.GetReadBuffer(_readSize).AsMemory(0, _readSize);
            nint n = packet.IsEmpty && next.IsEmpty
                ? Libc.Read(fd.Fd, space.Span)
                : Libc.ReadV(fd.Fd, packet.Span, space.Span, next.Span);
            if (n > 0)
            {
                int inPacket = Math.Min((int)n, packet.Length);
                int rest = (int)n - inPacket;
                if (donate && rest > 0) loop.CommitDonation(rest);
                if (inPacket > 0) Port.CommitAssembly(inPacket, donate ? ChunkOwnership.Donated : ChunkOwnership.Transient);
                if (rest > 0)
                {
                    if (donate)
                    {
                        // A read that went on into the next slab is two chunks; a frame across them
                        // is put together by the decoder.
                        Port.DeliverData(space[..Math.Min(rest, space.Length)], ChunkOwnership.Donated);
                        if (rest > space.Length) Port.DeliverData(next[..(rest - space.Length)], ChunkOwnership.Donated);
                    }
                    else
                    {
                        Deliver(space[..rest], isStderr);
                    }
                }
                // A short read drained the pipe: skip the extra read that would only say EAGAIN.
                // Delivery may have stopped this stream (a framing error, the subscriber failed, the
                // port closed): its descriptor is closed then, and its number must not be read again.
                if (n < packet.Length + space.Length + next.Length || Port.IsInputPaused || !ReferenceEquals(fd, isStderr ? _stderr : _stdout)) return;
                continue;
            }
            if (n == -Libc.EAGAIN) return;
            // 0 is end of file; any other error (EIO...) ends this stream just the same.
            EndOfStream(fd);
            return;
        }
    }

    private void Deliver(ReadOnlyMemory<byte> bytes, bool isStderr)
    {
        if (isStderr)
        {
            Port.DeliverStandardError(bytes.ToArray());
        }
        else
        {
            // Zero-copy: slices of the shared read buffer, valid during OnNext only.
            Port.DeliverData(bytes, ChunkOwnership.Transient);
        }
    }

    private void EndOfStream(SafeFdHandle fd)
    {
        Port.Deselect(fd);
        if (ReferenceEquals(fd, _stdout)) _stdout = null;
        if (ReferenceEquals(fd, _stderr)) _stderr = null;
        if (--_openInputs == 0) Port.DeliverEof();
    }

    protected internal override void OnStopInput()
    {
        if (_stdout is { } stdout) EndOfStreamQuietly(stdout);
        if (_stderr is { } stderr) EndOfStreamQuietly(stderr);
    }

    private void EndOfStreamQuietly(SafeFdHandle fd)
    {
        Port.Deselect(fd);
        if (ReferenceEquals(fd, _stdout)) _stdout = null;
        if (ReferenceEquals(fd, _stderr)) _stderr = null;
        _openInputs--;
    }

    protected internal override void OnOutput(ReadOnlyMemory<byte> data)
    {
        if (_stdin is not { } stdin) return; // input already failed or closed: the port reported it
        if (Port.QueueSize == 0)
        {
            // Erlang's rule: a write to an empty queue goes straight to the descriptor.
            nint n = Libc.Write(stdin.Fd, data.Span);
            if (n == data.Length) return;
            if (n < 0)
            {
                if (n != -Libc.EAGAIN) { WriteFailed((int)-n); return; }
                n = 0;
            }
            data = data[(int)n..];
        }
        Port.Enqueue(data);
        Port.Select(stdin, PollEvents.Writable);
    }

    protected internal override unsafe void OnReadyOutput(SafeHandle handle)
    {
        if (_stdin is not { } stdin) return;
        Span<Libc.IoVector> iov = stackalloc Libc.IoVector[_peek.Length];
        while (Port.QueueSize > 0)
        {
            int count = Port.PeekQueue(_peek);
            nint n;
            if (count == 1)
            {
                n = Libc.Write(stdin.Fd, _peek[0].Span);
            }
            else
            {
                var handles = _handles;
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        handles[i] = _peek[i].Pin();
                        iov[i] = new Libc.IoVector((byte*)handles[i].Pointer, _peek[i].Length);
                    }
                    n = Libc.WriteV(stdin.Fd, iov[..count]);
                }
                finally
                {
                    for (int i = 0; i < count; i++) handles[i].Dispose();
                }
            }
            if (n == -Libc.EAGAIN) return;
            if (n < 0) { WriteFailed((int)-n); return; }
            Port.Dequeue(n);
        }
        if (_stdin is not null) Port.Select(stdin, PollEvents.None);
    }

    internal override bool SupportsDirectOutput => true;

    internal override bool ReleasesOutput => true;

    internal override int OutputCapacity => InputPipeSize;

    /// <summary>Any thread: the port guarantees no other output is in progress. The reference taken on the handle keeps the descriptor open (and its number ours) while the loop closes it.</summary>
    internal override unsafe nint WriteDirect(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        if (Volatile.Read(ref _stdin) is not { } stdin) return -1;
        bool added = false;
        try
        {
            stdin.DangerousAddRef(ref added);
            nint n;
            if (header.IsEmpty)
            {
                n = Libc.Write(stdin.Fd, payload);
            }
            else
            {
                fixed (byte* h = header, p = payload)
                {
                    Span<Libc.IoVector> iov = [new Libc.IoVector(h, header.Length), new Libc.IoVector(p, payload.Length)];
                    n = Libc.WriteV(stdin.Fd, iov);
                }
            }
            return n == -Libc.EAGAIN ? 0 : n < 0 ? -1 : n;
        }
        catch (ObjectDisposedException)
        {
            // Closed on the loop meanwhile: the bytes take the loop's path, which knows why.
            return -1;
        }
        finally
        {
            if (added) stdin.DangerousRelease();
        }
    }

    private void WriteFailed(int errno)
    {
        // EPIPE: the child closed its input or exited. Reading goes on; the exit status still comes.
        if (_stdin is { } stdin) Port.Deselect(stdin);
        _stdin = null;
        Port.ReportWriteError(errno);
    }

    protected internal override void OnOutputEnd()
    {
        // Half-close: the child sees end of file on its input while its output keeps flowing.
        if (_stdin is { } stdin) Port.Deselect(stdin);
        _stdin = null;
    }

    protected internal override void OnStop()
    {
        // The pipes are closed by the port (deselect, then stop_select disposes them). The child is
        // not killed (Erlang's rule); the watcher stays on the loop until it is reaped.
        _stdin = _stdout = _stderr = null;
    }
}

using System.Runtime.InteropServices;

namespace ReactivePorts.Drivers;

public sealed partial class DriverContext
{
    /// <summary>Payloads from this size on are written by the caller whenever the port is idle (they gain nothing from coalescing).</summary>
    private const int DirectMinBytes = 4096;

    /// <summary>
    /// Decides, under the gate, whether the caller writes this payload straight to the descriptor
    /// (Erlang's rule that a command to an idle port goes directly to the fd, from the caller's
    /// thread): only when nothing accepted earlier is still waiting (no pending bytes, no drain or
    /// other direct write in progress, an empty driver queue) so order is kept, and only when it
    /// pays. A big payload then skips the copy into a batch and the hop to the loop; a small one is
    /// written directly only when writes are sparse, and otherwise coalesced by the loop.
    /// On success the port is marked as being written, and <see cref="WriteDirect(ReadOnlySpan{byte}, int)"/> must follow.
    /// </summary>
    private bool TryWriteDirectLocked(int payloadLength, out int header)
    {
        header = 0;
        if (!OutputIdleLocked()) return false;
        var framing = _options.Framing;
        long encoded = framing.GetEncodedLength(payloadLength);
        header = (int)(encoded - payloadLength);
        // Only headers known to be big-endian lengths (length-prefixed framing) or none (stream, line).
        if (header != framing.HeaderSize || header is not (0 or 1 or 2 or 4)) return false;
        if (encoded < DirectMinBytes)
        {
            // A small frame: directly only when sparse (the last direct write was a while ago), so a
            // request/reply exchange skips the hop to the loop (measured: round trips 15–22 → 11–16 µs
            // p50), while a burst is one direct write, then coalesced by the loop (which picks it up
            // at once while it spins, and which the direct write woke if it slept), not a syscall
            // per frame.
            if (!TakeSparseDirectLocked()) return false;
        }
        _directBytes = encoded;
        _streamEnd += encoded;
        CheckBusyLocked(); // in flight, so counted: a big frame makes concurrent writers wait
        return true;
    }

    /// <summary>Whether the last small direct write was a while ago; if so, this one counts as the last (under the gate).</summary>
    private bool TakeSparseDirectLocked()
    {
        long now = Scheduler.Timestamp;
        if (now - _lastSmallDirect < SparseTicks) return false;
        _lastSmallDirect = now;
        return true;
    }

    /// <summary>Nothing accepted earlier waits or is being written, and a caller may write to the descriptor (under the gate).</summary>
    private bool OutputIdleLocked() =>
        _directBytes == 0 && !_loopOutput && _pendingBytes == 0 && _queueBytes == 0 && !_drainScheduled
        && !_driverBusy && _state == State.Open && _directWrites is not null && !Scheduler.IsLoopThread;

    /// <summary>
    /// After a batch was appended to an idle output (<see cref="OutputIdleLocked"/> held before),
    /// takes all its frames (the slices of the batch buffers they went into) for the caller to
    /// write, when that pays as for one frame: big enough, or sparse. Then
    /// <see cref="WriteDirectBatch"/> must follow.
    /// </summary>
    private bool TryTakeDirectBatchLocked()
    {
        SealBatchLocked();
        long length = _pendingBytes;
        if (_pending.Count == 0 || (length < DirectMinBytes && !TakeSparseDirectLocked())) return false;
        _directBatch.AddRange(_pending);
        _pending.Clear();
        _pendingBytes = 0;
        _directBytes = length;
        CheckBusyLocked();
        return true;
    }

    /// <summary>
    /// Erlang offers a command to the descriptor the moment it is given, so its queue holds only
    /// what the descriptor refused. Bytes waiting here for the loop have not been offered yet: when
    /// they would make the port busy while nothing else is queued or being written, the caller
    /// offers them itself (all of them, one gathered write) instead, and only what the descriptor
    /// refuses stays queued and counts. Busy stays exact, and a writer streaming into an empty pipe
    /// is not parked every few kilobytes. Then <see cref="FlushPendingDirect"/> must follow.
    /// </summary>
    private bool TryTakePendingBeforeBusyLocked()
    {
        if (_highWatermark == 0 || _busy) return false;
        if (_pendingBytes + _drainingBytes + _directBytes + _queueBytes < _highWatermark) return false;
        // As OutputIdleLocked, except that a drain may be scheduled: it stands aside while a caller
        // writes, and finds what is left (FinishDirect schedules it again if needed).
        if (_directBytes != 0 || _loopOutput || _queueBytes != 0 || _state != State.Open || _directWrites is null || Scheduler.IsLoopThread) return false;
        SealBatchLocked();
        if (_pending.Count == 0) return false;
        _directBatch.AddRange(_pending);
        _directBytes = _pendingBytes;
        _pending.Clear();
        _pendingBytes = 0;
        CheckBusyLocked(); // still unwritten while the caller writes them: counted
        return true;
    }

    /// <summary>Writes what <see cref="TryTakePendingBeforeBusyLocked"/> took; busy then settles exactly on what was refused (FinishDirect).</summary>
    private void FlushPendingDirect() => WriteDirectBatch();

    // The frames a caller is writing (TryTakeDirectBatchLocked): one direct write at a time.
    private readonly List<ReadOnlyMemory<byte>> _directBatch = new();

    /// <summary>
    /// Writes the frames taken by <see cref="TryTakeDirectBatchLocked"/> from the caller's thread;
    /// what the descriptor does not take goes to the loop, first in line. A failed write (EPIPE)
    /// throws from here: the rest is dropped, and every later write fails.
    /// </summary>
    /// <exception cref="IOException">The descriptor failed.</exception>
    private void WriteDirectBatch()
    {
        long written = 0;
        int done = 0, errno = 0;
        for (; done < _directBatch.Count; done++)
        {
            var frames = _directBatch[done];
            long n = WriteToDirectOutput(default, frames.Span);
            if (n < 0) errno = (int)-n;
            n = Math.Max(0, n);
            written += n;
            if (n < frames.Length)
            {
                _directBatch[done] = frames[(int)n..];
                break;
            }
        }
        Interlocked.Add(ref _bytesWritten, written);
        // The rest stays in the batch buffers, which are not reused while anything is pending.
        // The list is emptied before FinishDirect ends this direct write: from then on another
        // caller may take the next direct batch into it.
        _directBatch.RemoveRange(0, done);
        ReadOnlyMemory<byte>[] rest = _directBatch.Count == 0 ? [] : _directBatch.ToArray();
        _directBatch.Clear();
        // The caller's own frames that failed are not counted as unwritten: its call throws.
        if (IsWriteFailure(errno)) FailDirect(errno);
        FinishDirect(rest);
    }

    private static readonly long SparseTicks = TimeSpan.FromMicroseconds(10).Ticks;
    private long _lastSmallDirect = long.MinValue / 2; // the loop clock's timestamp, guarded by _writeGate

    /// <summary>
    /// Writes one frame from the caller's thread (after <see cref="TryWriteDirectLocked"/>). What the
    /// descriptor does not take (a full pipe) is copied and goes ahead of anything accepted
    /// meanwhile, and the loop takes it from there. A failed write (EPIPE) throws from here, and
    /// every later write fails.
    /// </summary>
    /// <exception cref="IOException">The descriptor failed.</exception>
    private void WriteDirect(ReadOnlySpan<byte> payload, int headerSize)
    {
        Span<byte> header = stackalloc byte[4];
        header = header[..headerSize];
        WritePlainHeader(header, headerSize, payload.Length);
        long total = headerSize + payload.Length;
        long n = WriteToDirectOutput(header, payload);
        long written = Math.Max(0, n);
        Interlocked.Add(ref _bytesWritten, written);
        if (n < 0 && IsWriteFailure((int)-n)) FailDirect((int)-n);
        if (written < total) FinishDirect([Rest(header, payload, (int)written, (int)total)]);
        else FinishDirect([]);
    }

    /// <summary>
    /// An errno from a direct write that fails the write itself; EBADF means the loop closed the
    /// descriptor meanwhile (a close or half-close), and the bytes take the loop's path, which knows why.
    /// </summary>
    private static bool IsWriteFailure(int errno) => errno != 0 && errno != Interop.Libc.EBADF;

    /// <summary>
    /// The input is dead (EPIPE): this direct write ends and later writes fail at once (set in one
    /// step, so no drain starts in between); the loop drops what others queued meanwhile (reported
    /// as a write failure when there was any) and tells the driver; the calling write throws.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void FailDirect(int errno)
    {
        var error = Interop.Libc.IOError("write", errno);
        lock (_writeGate)
        {
            _directBytes = 0;
            _writeError ??= error;
        }
        DisableDirectWrites();
        try
        {
            Scheduler.Post(static s =>
            {
                s.self.WriteFailed(s.error, report: false);
                if (s.self._state != State.Closed) s.self.Guard(d => d.CallOnInputFailed(s.errno));
            }, (self: this, error, errno));
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone: nothing is left to drop or release.
        }
        ThrowIfInputClosed();
        throw error; // not reached: the write error is set
    }

    /// <summary>A copy of what a direct write left unwritten (the caller's buffer is not ours to keep).</summary>
    private static byte[] Rest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, int written, int total)
    {
        var rest = GC.AllocateUninitializedArray<byte>(total - written);
        if (written < header.Length)
        {
            header[written..].CopyTo(rest);
            payload.CopyTo(rest.AsSpan(header.Length - written));
        }
        else
        {
            payload[(written - header.Length)..].CopyTo(rest);
        }
        return rest;
    }

    /// <summary>Ends a direct write: <paramref name="rest"/>, what it did not write, goes before anything accepted meanwhile.</summary>
    private void FinishDirect(ReadOnlySpan<ReadOnlyMemory<byte>> rest)
    {
        bool schedule = false, settle;
        lock (_writeGate)
        {
            _directBytes = 0;
            if (!rest.IsEmpty)
            {
                SealBatchLocked();
                _pending.InsertRange(0, rest);
                foreach (var segment in rest) _pendingBytes += segment.Length;
                CheckBusyLocked();
            }
            // A caller that keeps the output idle writing batches itself never involves the loop:
            // it frees the buffers its writes emptied.
            else RecycleBatchesLocked();
            // Bytes accepted meanwhile (and a drain that stood aside for this write) need the loop;
            // so does a close or half-close that waits for everything to be written.
            if ((_pendingBytes > 0 || _batchUsed > _batchStart || Volatile.Read(ref _flushWaiting)) && !_drainScheduled)
            {
                _drainScheduled = true;
                schedule = true;
            }
            // The bytes in flight counted towards busy while they were written (exactness): if
            // that changed the state, or writers wait for a ready port, settle it the usual way.
            CheckBusyLocked();
            settle = _busy != _busyNoted || (!_busy && _waiting.Count > 0);
        }
        if (schedule) ScheduleDrain();
        if (settle) UpdateBusy();
    }

    // The descriptor writers may write to directly, set by the driver (EnableDirectWrites).
    private volatile SafeHandle? _directWrites;

    /// <summary>
    /// Lets writers on other threads write frames straight to <paramref name="handle"/> while the
    /// port is idle (nothing queued, drained or being written), as Erlang writes a command to an idle
    /// port from the caller: a request skips the hop to the loop. What the descriptor does not take
    /// reaches <see cref="PortDriver.OnInput"/> on the loop as usual, in order; a write that fails
    /// (EPIPE) throws from the writer's call and fails every later write. For drivers whose input
    /// goes to one non-blocking descriptor as is (a pipe, a socket). Undone by
    /// <see cref="DisableDirectWrites"/> or by deselecting the handle.
    /// </summary>
    public void EnableDirectWrites(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _directWrites = handle;
    }

    /// <summary>Stops direct writes (the descriptor failed or is being closed): from now on every write reaches <see cref="PortDriver.OnInput"/> on the loop.</summary>
    public void DisableDirectWrites() => _directWrites = null;

    private nint WriteToDirectOutput(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        _directWrites is { } handle ? IO.WriteDirect(handle, header, payload) : -Interop.Libc.EBADF;

    /// <summary>Set (on the loop) while a close or half-close waits for the output to be written.</summary>
    private bool _flushWaiting;
}

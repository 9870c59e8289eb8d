using ReactivePorts.Framing;

namespace ReactivePorts.Drivers;

// Writers on any thread: accepting payloads (now, when ready, forced), the input's state and
// its accounting. Everything here is guarded by _writeGate; no user or driver code runs under it.
public sealed partial class DriverContext
{
    // Everything below is guarded by _writeGate: writers on any thread accept bytes here, and the
    // loop drains them into the driver. No user or driver code runs under it.
    private readonly Lock _writeGate = new();
    private long _highWatermark;
    private long _lowWatermark;
    private List<ReadOnlyMemory<byte>> _pending = new();
    private List<ReadOnlyMemory<byte>> _draining = new();
    private byte[]? _batch;
    private int _batchStart;
    private int _batchUsed;
    private long _pendingBytes;
    private long _queueBytes;      // the driver queue's size, mirrored for writers
    private long _drainingBytes;   // handed to the driver by the running drain, not yet written or queued
    private long _directBytes;     // being written straight to the descriptor by a caller (see TryWriteDirectLocked)
    private bool _loopOutput;      // the loop is handing bytes to the driver: no caller may write meanwhile
    private bool _drainScheduled;
    private bool _busy;
    private bool _driverBusy;
    private bool _busyPublished;
    private bool _inputClosed;     // no more writes accepted (close or half-close)
    private bool _waitersFailed;   // writers still waiting were failed (close, a dead input): none is admitted again
    private readonly Queue<WaitingWrite> _waiting = new();
    private readonly DriverQueue _queue = new();
    private long _bytesWritten;
    private readonly FixedBufferWriter _batchWriter = new();
    private readonly int _plainHeader;
    private Exception? _writeError;

    // Payloads up to this size are coalesced into shared batch buffers; larger ones get their own.
    private const int CoalesceLimit = 16 * 1024;
    private const int MaxBatch = 64 * 1024;

    /// <summary>Bytes accepted from users but not yet written (pending plus the driver queue).</summary>
    internal long QueuedBytes { get { lock (_writeGate) return _pendingBytes + _drainingBytes + _directBytes + _queueBytes; } }

    internal long BytesWritten => Volatile.Read(ref _bytesWritten);

    internal bool IsBusy { get { lock (_writeGate) return _busy; } }

    /// <summary>Changes the busy marks (any thread). 0 disables busy.</summary>
    internal void SetWatermarks(long high, long low)
    {
        lock (_writeGate)
        {
            _highWatermark = high;
            _lowWatermark = low;
        }
        UpdateBusy();
    }

    /// <summary>Accepts one payload (framed with the port's framing) unless the port is busy; any thread.</summary>
    /// <exception cref="ObjectDisposedException">The port is closed or its input was closed.</exception>
    internal bool TryAccept(ReadOnlySpan<byte> payload, bool force)
    {
        bool schedule = false, direct, flush = false;
        int header;
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            // Waiting writers go first: a new write may not overtake them, so it counts as busy.
            if (!force && (_busy || _waiting.Count > 0)) return false;
            _packetsWritten++;
            direct = TryWriteDirectLocked(payload.Length, out header);
            if (!direct)
            {
                AppendLocked(payload);
                flush = TryTakePendingBeforeBusyLocked();
                if (!flush) schedule = NoteAppendedLocked();
            }
        }
        // Outside the gate: the caller's own system call, or the loop's wake-up.
        if (direct) WriteDirect(payload, header);
        else if (flush) FlushPendingDirect();
        else if (schedule) ScheduleDrain();
        return true;
    }

    /// <summary>Accepts all <paramref name="payloads"/> (each framed), in order and at once, unless the port is busy; any thread.</summary>
    /// <remarks>
    /// One command, like one payload: a batch that is accepted goes in whole, even past the high
    /// mark, and only later writes find the port busy. One lock and one drain for all of them.
    /// </remarks>
    internal bool TryAcceptMany(IReadOnlyList<ReadOnlyMemory<byte>> payloads, bool force)
    {
        bool schedule = false, direct, flush = false;
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            if (!force && (_busy || _waiting.Count > 0)) return false;
            _packetsWritten += payloads.Count;
            bool idle = OutputIdleLocked();
            AppendManyLocked(payloads);
            // Erlang's rule, as for one frame: to an idle output the caller writes the batch itself.
            direct = idle && TryTakeDirectBatchLocked();
            if (!direct) flush = TryTakePendingBeforeBusyLocked();
            if (!direct && !flush) schedule = NoteAppendedLocked();
        }
        if (direct) WriteDirectBatch();
        else if (flush) FlushPendingDirect();
        else if (schedule) ScheduleDrain();
        return true;
    }

    /// <summary>After bytes were appended: a drain is on its way (true: the caller schedules it, outside the gate), and busy is re-evaluated.</summary>
    private bool NoteAppendedLocked()
    {
        bool schedule = !_drainScheduled;
        _drainScheduled = true;
        // Accepting bytes can only make the port busy; becoming ready is UpdateBusy's job, which
        // admits the waiting writers at the same time.
        if (!_busy) CheckBusyLocked();
        return schedule;
    }

    /// <summary>Accepts the payloads now, or when the port is ready again (in order); any thread.</summary>
    internal ValueTask AcceptManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        if (TryAcceptMany(payloads, force: false)) return ValueTask.CompletedTask;
        return WaitToAccept(new WaitingWrite(DriverName, default, payloads), cancellationToken);
    }

    /// <summary>Accepts the payload now, or when the port is ready again (in order); any thread.</summary>
    internal ValueTask AcceptAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (TryAccept(payload.Span, force: false)) return ValueTask.CompletedTask;
        return WaitToAccept(new WaitingWrite(DriverName, payload, null), cancellationToken);
    }

    private ValueTask WaitToAccept(WaitingWrite waiting, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        // Registered before the waiter is visible to other threads, so admitting it (which disposes
        // the registration) can never race with creating it.
        waiting.RegisterCancellation(cancellationToken);
        bool acceptedMeanwhile;
        try
        {
            lock (_writeGate)
            {
                ThrowIfInputClosed();
                acceptedMeanwhile = !_busy && _waiting.Count == 0;
                if (!acceptedMeanwhile) _waiting.Enqueue(waiting);
            }
        }
        catch
        {
            waiting.Fail(new ObjectDisposedException(PortObjectName)); // releases the registration
            throw;
        }
        if (acceptedMeanwhile)
        {
            waiting.Complete();
            if (waiting.Batch is { } batch) TryAcceptMany(batch, force: true);
            else TryAccept(waiting.Payload.Span, force: true);
            return ValueTask.CompletedTask;
        }
        return new ValueTask(waiting.Task);
    }

    private void ThrowIfInputClosed()
    {
        if (_writeError is not null) throw new IOException(_writeError.Message, _writeError) { HResult = _writeError.HResult };
        if (_inputClosed) throw new ObjectDisposedException(PortObjectName, "The port's input is closed.");
    }
}

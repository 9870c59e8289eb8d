using System.Buffers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

public sealed partial class DriverPort
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
    private readonly Queue<WaitingWrite> _waiting = new();
    private readonly DriverQueue _queue = new();
    private long _bytesOut;
    private readonly FixedBufferWriter _batchWriter = new();
    private readonly int _plainHeader;
    private Exception? _writeError;

    // Payloads up to this size are coalesced into shared batch buffers; larger ones get their own.
    private const int CoalesceLimit = 16 * 1024;
    private const int MaxBatch = 64 * 1024;

    /// <summary>Bytes accepted from users but not yet written (pending plus the driver queue).</summary>
    internal long QueuedBytes { get { lock (_writeGate) return _pendingBytes + _drainingBytes + _directBytes + _queueBytes; } }

    /// <summary>
    /// Accepted bytes that may wait for the loop without making the port busy while the driver queue
    /// is empty: the capacity of the output descriptor (the child's input pipe, measured at start),
    /// since an empty pipe takes that much at once. Erlang writes a command to an idle port straight
    /// to the descriptor and counts only what it refuses; bytes here have not been offered yet, so
    /// counting them all would make a fast writer busy (and put it to sleep) every 8 KiB while the
    /// pipe is empty. Once the pipe is full (the queue is not empty) everything counts again.
    /// </summary>
    private long _pendingAllowance;

    internal long BytesOut => Volatile.Read(ref _bytesOut);

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
        bool schedule;
        int header;
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            // Waiting writers go first: a new write may not overtake them, so it counts as busy.
            if (!force && (_busy || _waiting.Count > 0)) return false;
            if (TryWriteDirectLocked(payload.Length, out header)) goto Direct;
            AppendLocked(payload);
            schedule = NoteAppendedLocked();
        }
        if (schedule) ScheduleDrain();
        return true;
    Direct:
        WriteDirect(payload, header);
        return true;
    }

    /// <summary>Accepts all <paramref name="payloads"/> (each framed), in order and at once, unless the port is busy; any thread.</summary>
    /// <remarks>
    /// One command, like one payload: a batch that is accepted goes in whole, even past the high
    /// mark, and only later writes find the port busy. One lock and one drain for all of them.
    /// </remarks>
    internal bool TryAcceptMany(IReadOnlyList<ReadOnlyMemory<byte>> payloads, bool force)
    {
        bool schedule;
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            if (!force && (_busy || _waiting.Count > 0)) return false;
            bool idle = OutputIdleLocked();
            AppendManyLocked(payloads);
            // Erlang's rule, as for one frame: to an idle output the caller writes the batch itself.
            if (idle && TryTakeDirectBatchLocked()) goto Direct;
            schedule = NoteAppendedLocked();
        }
        if (schedule) ScheduleDrain();
        return true;
    Direct:
        WriteDirectBatch();
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

    private void AppendManyLocked(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        for (int i = 0; i < payloads.Count; i++) AppendLocked(payloads[i].Span);
    }

    /// <summary>Accepts the payloads now, or when the port is ready again (in order); any thread.</summary>
    internal ValueTask AcceptManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        if (TryAcceptMany(payloads, force: false)) return ValueTask.CompletedTask;
        return WaitToAccept(new WaitingWrite(this, default, payloads), cancellationToken);
    }

    /// <summary>Accepts the payload now, or when the port is ready again (in order); any thread.</summary>
    internal ValueTask AcceptAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (TryAccept(payload.Span, force: false)) return ValueTask.CompletedTask;
        return WaitToAccept(new WaitingWrite(this, payload, null), cancellationToken);
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
            waiting.Fail(new ObjectDisposedException(nameof(Port))); // releases the registration
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
        if (_inputClosed) throw new ObjectDisposedException(nameof(Port), "The port's input is closed.");
    }

    private void AppendLocked(ReadOnlySpan<byte> payload)
    {
        // The common case, a small frame that fits the current batch, without the format's
        // IBufferWriter round trip: a big-endian length header (or none), then the payload, as
        // FrameFormat.Encode documents for every built-in format.
        int header = _plainHeader;
        if (header >= 0 && _batch is { } batch && batch.Length - _batchUsed >= payload.Length + header && payload.Length <= CoalesceLimit)
        {
            var frame = batch.AsSpan(_batchUsed, header + payload.Length);
            switch (header)
            {
                case 1: frame[0] = (byte)payload.Length; break;
                case 2: System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length); break;
                case 4: System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length); break;
            }
            payload.CopyTo(frame[header..]);
            _batchUsed += frame.Length;
            _pendingBytes += frame.Length;
            _streamEnd += frame.Length;
            return;
        }
        AppendSlow(payload);
    }

    /// <summary>
    /// The frame header size when the port's format writes a plain big-endian length (1, 2 or 4
    /// bytes) or nothing before the payload; -1 for any other format (always encoded by the format).
    /// </summary>
    private int PlainHeader()
    {
        var framing = _options.Framing;
        int header = framing.HeaderSize;
        return header is 0 or 1 or 2 or 4 && framing.GetEncodedLength(10) == 10 + header && framing.GetEncodedLength(0) == header ? header : -1;
    }

    private void AppendSlow(ReadOnlySpan<byte> payload)
    {
        var framing = _options.Framing;
        long encoded = framing.GetEncodedLength(payload.Length);
        if (encoded > CoalesceLimit)
        {
            var own = new ArrayBufferWriter<byte>((int)encoded);
            framing.Encode(payload, own);
            SealBatchLocked();
            _pending.Add(own.WrittenMemory);
        }
        else
        {
            if (_batch is null || _batch.Length - _batchUsed < encoded)
            {
                SealBatchLocked();
                // Small while traffic is light (one round trip at a time), doubling while it fills
                // buffers (a stream), up to MaxBatch. Drains hand over slices and leave the rest of
                // the buffer to later writes, so a buffer serves many drains.
                int size = (int)Math.Clamp(Math.Max(Math.Max(_pendingBytes, _batch?.Length ?? 0) * 2, encoded), 4096, MaxBatch);
                size = Math.Max(size, (int)encoded);
                // Slices of it may still be pending, queued or being written: it is free once the
                // output has written everything up to its last byte.
                if (_batch is not null) (_retired ??= new()).Enqueue((_batch, _streamEnd));
                _batch = TakeFreeBatch(size) ?? GC.AllocateUninitializedArray<byte>(size); // every byte handed out is written first
                _batchStart = _batchUsed = 0;
            }
            _batchWriter.Reset(_batch, _batchUsed);
            framing.Encode(payload, _batchWriter);
            _batchUsed = _batchWriter.Position;
        }
        _pendingBytes += encoded;
        _streamEnd += encoded;
    }

    // Batch buffers whose slices the driver no longer holds are used again (drivers that say so:
    // SpawnDriver writes what OnOutput gets or queues it with Enqueue, and keeps nothing else), so
    // a steady stream of small writes allocates nothing. The output is one stream in the order of
    // acceptance, so a buffer is free once the bytes written reach the stream offset of its last
    // byte. Guarded by _writeGate.
    private Queue<(byte[] Buffer, long End)>? _retired; // replaced batches and the stream offset their bytes end at
    private Stack<byte[]>? _free;   // batches known to be unreferenced, at most MaxFreeBatches
    private long _streamEnd;        // bytes ever accepted (the stream offset of the next byte accepted)

    // As many as a saturated stream has in flight (the pipe's 64 KiB allowance, the busy marks and
    // a batch accepted past them): it then cycles through the same few buffers.
    private const int MaxFreeBatches = 6;

    private byte[]? TakeFreeBatch(int size)
    {
        if (_free is not { Count: > 0 } free || free.Peek().Length < size) return null;
        return free.Pop();
    }

    /// <summary>
    /// Under the gate, on the loop with the driver queue's size just mirrored, or after a direct
    /// write (the mirror can only be too high then, as only the loop changes the queue and it
    /// mirrors every change before it lets go of its output): frees the retired
    /// batches whose bytes have all been written, and starts the current batch over when
    /// everything accepted has been written.
    /// </summary>
    private void RecycleBatchesLocked()
    {
        // Mid-drain the driver holds slices that are neither written nor queued yet.
        if (!_driver.ReleasesOutput || _loopOutput) return;
        // Bytes handed to the driver (by drains, or written by callers) less those it still queues.
        // Read without ordering against direct writers, which add theirs after the write: at worst
        // this is too low, and buffers come back a little later.
        long written = Volatile.Read(ref _bytesOut) - _queueBytes;
        while (_retired is { Count: > 0 } retired && retired.Peek().End <= written)
        {
            var buffer = retired.Dequeue().Buffer;
            var free = _free ??= new();
            if (free.Count < MaxFreeBatches && buffer.Length == MaxBatch) free.Push(buffer);
        }
        if (written == _streamEnd && _batchUsed == _batchStart && _directBytes == 0) _batchStart = _batchUsed = 0;
    }

    /// <summary>Closes the current batch: its bytes become one pending segment.</summary>
    private void SealBatchLocked()
    {
        if (_batch is null || _batchUsed == _batchStart) return;
        _pending.Add(_batch.AsMemory(_batchStart, _batchUsed - _batchStart));
        _batchStart = _batchUsed;
    }

    private void ScheduleDrain()
    {
        try
        {
            // Queued even on the loop thread: every write made during this loop iteration (all the
            // packets one read delivered into a.Output → b.Input, say) goes out in one system call.
            // One reusable work item: a drain is scheduled at most once at a time (_drainScheduled).
            Scheduler.Queue(_drainWork ??= new LoopCallback<DriverPort>(static self => self.Drain(), this));
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone: the port is being torn down and the bytes cannot be written.
        }
    }

    private PollWork? _drainWork;
    private bool _inDrain;     // loop thread only
    private bool _drainAgain;  // loop thread only

    /// <summary>Hands pending bytes to the driver (loop thread).</summary>
    /// <remarks>
    /// Not re-entrant: a driver call inside it can admit waiting writers (the queue fell under the
    /// low mark), whose drain is posted inline on the loop thread. Running that drain nested would
    /// hand newer bytes to the driver before the rest of this batch (reordering), and would swap
    /// the list this drain is still walking; so the nested call only asks this one to go again.
    /// </remarks>
    private void Drain()
    {
        if (_inDrain)
        {
            _drainAgain = true;
            return;
        }
        _inDrain = true;
        try
        {
            do
            {
                _drainAgain = false;
                DrainOnce();
            }
            while (_drainAgain);
        }
        finally
        {
            _inDrain = false;
        }
    }

    private void DrainOnce()
    {
        List<ReadOnlyMemory<byte>> batch;
        long bytes;
        lock (_writeGate)
        {
            _drainScheduled = false;
            // A caller is writing straight to the descriptor: it hands the rest over when done.
            if (_directBytes > 0) return;
            SealBatchLocked();
            // Only the sealed slices are handed over; later writes go on filling the same buffer
            // after them (the driver never sees those bytes), so no buffer is allocated per drain.
            if (_pending.Count == 0) goto Nothing;
            batch = _pending;
            _pending = _draining;
            _draining = batch;
            bytes = _pendingBytes;
            _pendingBytes = 0;
            _queueBytes = _queue.Size;
            _loopOutput = true;
            _drainingBytes = bytes; // in flight to the driver: still counted until it is written or queued
        }
        if (_state == State.Open || _state == State.Closing)
        {
            foreach (var segment in batch)
            {
                if (_state == State.Closed) break;
                // From here the segment is the driver's (written or queued): counted once, not twice.
                lock (_writeGate) _drainingBytes -= segment.Length;
                Interlocked.Add(ref _bytesOut, segment.Length);
                try
                {
                    _driver.OnOutput(segment);
                }
                catch (Exception ex)
                {
                    // A driver that throws on output fails its port.
                    Finish(ex);
                }
            }
        }
        batch.Clear();
        SyncQueueSize(drained: true);
        return;
    Nothing:
        // Asked for by a direct write that ended while a close or half-close waits for the output.
        if (_flushWaiting) SyncQueueSize();
    }

    /// <summary>Queues bytes at the back of the driver queue (Erlang's <c>driver_enq</c>); the queue keeps the memory it is given.</summary>
    public void Enqueue(ReadOnlyMemory<byte> data)
    {
        _queue.Enqueue(data);
        SyncQueueSize();
    }

    /// <summary>Puts bytes at the front of the driver queue (Erlang's <c>driver_pushq</c>).</summary>
    public void PushFront(ReadOnlyMemory<byte> data)
    {
        _queue.PushFront(data);
        SyncQueueSize();
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length segments from the front of the queue (Erlang's <c>driver_peekq</c>); returns how many.</summary>
    public int PeekQueue(Span<ReadOnlyMemory<byte>> destination) => _queue.Peek(destination);

    /// <summary>Removes written bytes from the front of the queue (Erlang's <c>driver_deq</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the queue holds.</exception>
    public void Dequeue(long bytes)
    {
        _queue.Dequeue(bytes);
        SyncQueueSize();
    }

    /// <summary>The driver queue's size in bytes (Erlang's <c>driver_sizeq</c>).</summary>
    public long QueueSize => _queue.Size;

    /// <summary>Marks the port busy or not, on top of the automatic queue marks (Erlang's <c>set_busy_port</c>).</summary>
    public void SetBusy(bool busy)
    {
        lock (_writeGate) _driverBusy = busy;
        UpdateBusy();
    }

    /// <summary>Drops everything queued (close timeout); returns how many bytes were dropped.</summary>
    internal long DropQueued()
    {
        long dropped;
        lock (_writeGate)
        {
            dropped = _pendingBytes + _queue.Size;
            _pending.Clear();
            _batch = null;
            _pendingBytes = 0;
            _retired = null; // their bytes will never be written: nothing to wait for
        }
        _queue.Clear();
        // A close waiting for the flush reports what was lost; set before the empty queue completes it.
        if (_state == State.Closing) _droppedOnClose += dropped;
        SyncQueueSize();
        return dropped;
    }

    /// <summary>Mirrors the driver queue for writers and re-evaluates busy, in one pass under the gate (loop thread).</summary>
    private void SyncQueueSize(bool drained = false)
    {
        if (UpdateBusy(_queue.Size, drained)) OnQueueEmpty();
    }

    private void CheckBusyLocked()
    {
        long offered = _pendingBytes + _drainingBytes;
        long total = _queueBytes > 0 ? offered + _queueBytes : Math.Max(0, offered - _pendingAllowance);
        bool busy = _driverBusy || (_highWatermark > 0 && (_busy ? total >= _lowWatermark : total >= _highWatermark));
        _busy = busy;
    }

    /// <summary>
    /// Re-evaluates busy; when ready, admits waiting writers in order and runs ready callbacks;
    /// publishes a change on the loop. With <paramref name="queueSize"/> (loop thread) it first
    /// mirrors the driver queue; <paramref name="drained"/> ends a drain's hand-over. One lock
    /// for all of it: the loop takes the writers' gate as rarely as it can. Returns whether
    /// nothing is left to write.
    /// </summary>
    private bool UpdateBusy(long queueSize = -1, bool drained = false)
    {
        List<WaitingWrite>? admitted = null;
        List<Action>? ready = null;
        bool schedule = false, publish, empty;
        lock (_writeGate)
        {
            if (queueSize >= 0) _queueBytes = queueSize;
            if (drained)
            {
                _drainingBytes = 0;
                _loopOutput = false;
            }
            CheckBusyLocked();
            // After a write error or once closing began, waiting writers are failed, never admitted.
            while (!_busy && !_inputClosed && _writeError is null && _waiting.TryPeek(out var next))
            {
                _waiting.Dequeue();
                if (!next.TryClaim()) continue; // canceled meanwhile
                if (next.Batch is { } batch) AppendManyLocked(batch);
                else AppendLocked(next.Payload.Span);
                (admitted ??= new()).Add(next);
                schedule |= !_drainScheduled;
                _drainScheduled = true;
                CheckBusyLocked();
            }
            if (!_busy && _readyCallbacks.Count > 0)
            {
                ready = _readyCallbacks;
                _readyCallbacks = new();
            }
            if (queueSize >= 0) RecycleBatchesLocked();
            publish = _busy != _busyNoted;
            _busyNoted = _busy;
            empty = _pendingBytes + _drainingBytes + _directBytes + _queueBytes == 0;
        }
        if (schedule) ScheduleDrain();
        if (admitted is not null) foreach (var w in admitted) w.Complete();
        if (ready is not null) foreach (var callback in ready) callback();
        if (publish) PublishBusy();
        return empty;
    }

    private bool _busyNoted; // the busy state last seen by UpdateBusy (guarded by _writeGate): publish on changes only

    private List<Action> _readyCallbacks = new();

    /// <summary>Runs <paramref name="callback"/> (on whatever thread makes the port ready) once the port is not busy; at once if it is not.</summary>
    internal void WhenReady(Action callback)
    {
        lock (_writeGate)
        {
            if (_busy && !_inputClosed)
            {
                _readyCallbacks.Add(callback);
                return;
            }
        }
        callback();
    }

    /// <summary>Completes when the port is not busy (or its input closed).</summary>
    internal Task WhenReadyAsync(CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        WhenReady(() => tcs.TrySetResult());
        return tcs.Task.WaitAsync(cancellationToken);
    }

    private void PublishBusy()
    {
        try
        {
            Scheduler.Post(static self =>
            {
                bool busy = self.IsBusy;
                if (busy == self._busyPublished) return;
                self._busyPublished = busy;
                self._sink.OnBusyChanged(busy);
            }, this);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone; nobody is listening any more.
        }
    }

    /// <summary>No more writes: waiting writers fail, later calls throw ObjectDisposedException.</summary>
    internal void CloseInput()
    {
        lock (_writeGate) _inputClosed = true;
    }

    private void FailWaitingWriters(Exception? error)
    {
        List<WaitingWrite> failed;
        lock (_writeGate)
        {
            _inputClosed = true;
            failed = new List<WaitingWrite>(_waiting);
            _waiting.Clear();
        }
        List<Action> ready;
        lock (_writeGate)
        {
            ready = _readyCallbacks;
            _readyCallbacks = new();
        }
        foreach (var callback in ready) callback();
        foreach (var w in failed)
        {
            if (w.TryClaim()) w.Fail(_writeError ?? new ObjectDisposedException(nameof(Port), "The port closed before the write was accepted."));
        }
    }

    /// <summary>A write waiting for the port to be ready: one payload, or a batch of them.</summary>
    private sealed class WaitingWrite(DriverPort port, ReadOnlyMemory<byte> payload, IReadOnlyList<ReadOnlyMemory<byte>>? batch)
    {
        private readonly TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claimed;
        private CancellationTokenRegistration _registration;

        public ReadOnlyMemory<byte> Payload { get; } = payload;

        public IReadOnlyList<ReadOnlyMemory<byte>>? Batch { get; } = batch;

        public Task Task => _tcs.Task;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

        public void RegisterCancellation(CancellationToken token)
        {
            if (!token.CanBeCanceled) return;
            _registration = token.Register(static s =>
            {
                var (self, token) = ((WaitingWrite, CancellationToken))s!;
                if (self.TryClaim()) self._tcs.TrySetCanceled(token);
            }, (this, token));
        }

        public void Complete()
        {
            _registration.Dispose();
            _tcs.TrySetResult();
        }

        public void Fail(Exception error)
        {
            _registration.Dispose();
            _tcs.TrySetException(error);
        }

        public override string ToString() => Batch is { } b ? $"{b.Count} payloads waiting on {port.DriverName}" : $"{Payload.Length} B waiting on {port.DriverName}";
    }
}

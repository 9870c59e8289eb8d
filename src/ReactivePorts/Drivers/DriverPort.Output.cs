using System.Buffers;
using ReactivePorts.Framing;

namespace ReactivePorts.Drivers;

public sealed partial class DriverPort
{
    // Everything below is guarded by _writeGate: writers on any thread accept bytes here, and the
    // loop drains them into the driver. No user or driver code runs under it.
    private readonly object _writeGate = new();
    private long _highWatermark;
    private long _lowWatermark;
    private List<ReadOnlyMemory<byte>> _pending = new();
    private List<ReadOnlyMemory<byte>> _draining = new();
    private byte[]? _batch;
    private int _batchStart;
    private int _batchUsed;
    private long _pendingBytes;
    private long _queueBytes;      // the driver queue's size plus _inFlight, mirrored for writers
    private long _inFlight;        // taken from pending by Drain, not yet handed to the driver
    private bool _drainScheduled;
    private bool _busy;
    private bool _driverBusy;
    private bool _busyPublished;
    private bool _inputClosed;     // no more writes accepted (close or half-close)
    private readonly Queue<WaitingWrite> _waiting = new();
    private readonly DriverQueue _queue = new();
    private long _bytesOut;
    private readonly FixedBufferWriter _batchWriter = new();
    private Exception? _writeError;

    // Payloads up to this size are coalesced into shared batch buffers; larger ones get their own.
    private const int CoalesceLimit = 16 * 1024;
    private const int MaxBatch = 64 * 1024;

    /// <summary>Bytes accepted from users but not yet written (pending plus the driver queue).</summary>
    internal long QueuedBytes { get { lock (_writeGate) return _pendingBytes + _queueBytes; } }

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
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            // Waiting writers go first: a new write may not overtake them, so it counts as busy.
            if (!force && (_busy || _waiting.Count > 0)) return false;
            AppendLocked(payload);
            schedule = !_drainScheduled;
            _drainScheduled = true;
            // Accepting bytes can only make the port busy; becoming ready is UpdateBusy's job, which
            // admits the waiting writers at the same time.
            if (!_busy) CheckBusyLocked();
        }
        if (schedule) ScheduleDrain();
        return true;
    }

    /// <summary>Accepts the payload now, or when the port is ready again (in order); any thread.</summary>
    internal ValueTask AcceptAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (TryAccept(payload.Span, force: false)) return ValueTask.CompletedTask;
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        var waiting = new WaitingWrite(this, payload);
        bool acceptedMeanwhile;
        lock (_writeGate)
        {
            ThrowIfInputClosed();
            acceptedMeanwhile = !_busy && _waiting.Count == 0;
            if (!acceptedMeanwhile) _waiting.Enqueue(waiting);
        }
        if (acceptedMeanwhile) return TryAccept(payload.Span, force: true) ? ValueTask.CompletedTask : default;
        waiting.RegisterCancellation(cancellationToken);
        return new ValueTask(waiting.Task);
    }

    private void ThrowIfInputClosed()
    {
        if (_writeError is not null) throw new IOException(_writeError.Message, _writeError) { HResult = _writeError.HResult };
        if (_inputClosed) throw new ObjectDisposedException(nameof(Port), "The port's input is closed.");
    }

    private void AppendLocked(ReadOnlySpan<byte> payload)
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
                // Small while traffic is light (one round trip at a time), bigger under load.
                int size = (int)Math.Clamp(Math.Max(_pendingBytes * 2, encoded), 4096, MaxBatch);
                _batch = new byte[Math.Max(size, (int)encoded)];
                _batchStart = _batchUsed = 0;
            }
            _batchWriter.Reset(_batch, _batchUsed);
            framing.Encode(payload, _batchWriter);
            _batchUsed = _batchWriter.Position;
        }
        _pendingBytes += encoded;
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
            Scheduler.Queue(static self => self.Drain(), this);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone: the port is being torn down and the bytes cannot be written.
        }
    }

    /// <summary>Hands pending bytes to the driver (loop thread).</summary>
    private void Drain()
    {
        List<ReadOnlyMemory<byte>> batch;
        long bytes;
        lock (_writeGate)
        {
            _drainScheduled = false;
            SealBatchLocked();
            // The sealed batch buffer is handed over; later writes start a new one.
            _batch = null;
            batch = _pending;
            _pending = _draining;
            _draining = batch;
            bytes = _pendingBytes;
            _pendingBytes = 0;
            // In flight to the driver: still counted until each segment is written or queued.
            _inFlight = bytes;
            _queueBytes = _queue.Size + _inFlight;
        }
        if (_state == State.Open || _state == State.Closing)
        {
            foreach (var segment in batch)
            {
                if (_state == State.Closed) break;
                lock (_writeGate) _inFlight -= segment.Length;
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
        lock (_writeGate) _inFlight = 0;
        batch.Clear();
        SyncQueueSize();
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
        }
        _queue.Clear();
        // A close waiting for the flush reports what was lost; set before the empty queue completes it.
        if (_state == State.Closing) _droppedOnClose += dropped;
        SyncQueueSize();
        return dropped;
    }

    private void SyncQueueSize()
    {
        lock (_writeGate) _queueBytes = _queue.Size + _inFlight;
        UpdateBusy();
        if (QueuedBytes == 0) OnQueueEmpty();
    }

    private void CheckBusyLocked()
    {
        long total = _pendingBytes + _queueBytes;
        bool busy = _driverBusy || (_highWatermark > 0 && (_busy ? total >= _lowWatermark : total >= _highWatermark));
        _busy = busy;
    }

    /// <summary>Re-evaluates busy; when ready, admits waiting writers in order; publishes changes on the loop.</summary>
    private void UpdateBusy()
    {
        List<WaitingWrite>? admitted = null;
        bool schedule = false;
        lock (_writeGate)
        {
            CheckBusyLocked();
            // After a write error or once closing began, waiting writers are failed, never admitted.
            while (!_busy && !_inputClosed && _writeError is null && _waiting.TryPeek(out var next))
            {
                _waiting.Dequeue();
                if (!next.TryClaim()) continue; // canceled meanwhile
                AppendLocked(next.Payload.Span);
                (admitted ??= new()).Add(next);
                schedule |= !_drainScheduled;
                _drainScheduled = true;
                CheckBusyLocked();
            }
        }
        if (schedule) ScheduleDrain();
        if (admitted is not null) foreach (var w in admitted) w.Complete();
        List<Action>? ready = null;
        lock (_writeGate)
        {
            if (!_busy && _readyCallbacks.Count > 0)
            {
                ready = _readyCallbacks;
                _readyCallbacks = new();
            }
        }
        if (ready is not null) foreach (var callback in ready) callback();
        PublishBusy();
    }

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

    private sealed class WaitingWrite(DriverPort port, ReadOnlyMemory<byte> payload)
    {
        private readonly TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claimed;
        private CancellationTokenRegistration _registration;

        public ReadOnlyMemory<byte> Payload { get; } = payload;

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

        public override string ToString() => $"{Payload.Length} B waiting on {port.DriverName}";
    }
}

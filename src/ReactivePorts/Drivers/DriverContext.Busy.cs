namespace ReactivePorts.Drivers;

// Busy transitions: the high and low marks, the driver's own busy flag, waiting writers admitted
// in order when the port is ready again, and the busy state published on the loop.
public sealed partial class DriverContext
{
    /// <summary>Marks the port busy or not, on top of the automatic queue marks (Erlang's <c>set_busy_port</c>).</summary>
    public void SetBusy(bool busy)
    {
        lock (_writeGate) _driverBusy = busy;
        UpdateBusy();
    }

    /// <summary>
    /// Erlang's busy port, exactly: the queue is every byte accepted and not yet written to the
    /// descriptor (pending, being handed to the driver, being written by a caller, in the driver
    /// queue); busy from the write that brings it to the high limit, ready once it is below the low one.
    /// </summary>
    private void CheckBusyLocked()
    {
        long total = _pendingBytes + _drainingBytes + _directBytes + _queueBytes;
        _busy = _driverBusy || (_highWatermark > 0 && (_busy ? total >= _lowWatermark : total >= _highWatermark));
    }

    /// <summary>
    /// Re-evaluates busy; when ready, admits waiting writers in order and runs ready callbacks;
    /// publishes a change on the loop. With <paramref name="queueSize"/> (loop thread) it first
    /// mirrors the driver queue; <paramref name="drained"/> ends a drain's hand-over. One lock
    /// for all of it: the loop takes the writers' gate as rarely as it can. Returns whether
    /// nothing is left to write.
    /// </summary>
    private bool UpdateBusy(long queueSize = -1, bool drained = false, long handedOver = 0)
    {
        List<WaitingWrite>? admitted = null;
        List<Action>? ready = null;
        bool schedule = false, publish, empty;
        lock (_writeGate)
        {
            if (queueSize >= 0) _queueBytes = queueSize;
            if (handedOver > 0 && _segmentInFlight > 0)
            {
                long moved = Math.Min(handedOver, _segmentInFlight);
                _segmentInFlight -= moved;
                _drainingBytes -= moved;
            }
            if (drained)
            {
                _drainingBytes = 0;
                _loopOutput = false;
            }
            CheckBusyLocked();
            // After a write error or once closing began, waiting writers are failed, never admitted.
            // After a half-close, writers that were already waiting still go in, before the end.
            while (!_busy && !_waitersFailed && _writeError is null && _waiting.TryPeek(out var next))
            {
                _waiting.Dequeue();
                if (!next.TryClaim()) continue; // canceled meanwhile
                _packetsWritten += next.Batch?.Count ?? 1;
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
            empty = _pendingBytes + _drainingBytes + _directBytes + _queueBytes == 0 && _waiting.Count == 0;
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

    /// <summary>No more writes: later calls throw ObjectDisposedException. Writers already waiting are still admitted (a half-close) until <see cref="FailWaitingWriters"/> fails them (a close).</summary>
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
            _waitersFailed = true;
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
            if (w.TryClaim()) w.Fail(_writeError ?? new ObjectDisposedException(PortObjectName, "The port closed before the write was accepted."));
        }
    }
}

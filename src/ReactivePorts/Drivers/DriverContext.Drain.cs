using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

// Draining on the loop: pending bytes are handed to the driver's OnInput, in order.
public sealed partial class DriverContext
{
    private void ScheduleDrain()
    {
        try
        {
            // Queued even on the loop thread: every write made during this loop iteration (all the
            // packets one read delivered into a.Output → b.Input, say) goes out in one system call.
            // One reusable work item: a drain is scheduled at most once at a time (_drainScheduled).
            Scheduler.Queue(_drainWork ??= new LoopCallback<DriverContext>(static self => self.Drain(), this));
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone: the port is being torn down and the bytes cannot be written.
        }
    }

    private PollWork? _drainWork;
    private long _segmentInFlight; // of the segment OnInput is handling: bytes neither queued nor known written yet (loop thread only: only Enqueue/PushFront and the drain, both on the loop, touch it)
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
        var batch = TakePending(out bool sync);
        if (batch is null)
        {
            if (sync) SyncQueueSize();
            return;
        }
        if (_state == State.Open || _state == State.Closing)
        {
            foreach (var segment in batch)
            {
                if (_state == State.Closed || _writeError is not null)
                {
                    // The input is dead (or the port gone): this can never be written, and close
                    // says so (a teardown counted what was in flight already).
                    lock (_writeGate) _drainingBytes -= segment.Length;
                    if (_state != State.Closed) _unwrittenBytes += segment.Length;
                    continue;
                }
                // The segment counts as in flight until the driver has queued it (Enqueue moves it to
                // the queue in one step) or written it (it leaves the count when OnInput returns), so
                // the queue size is exact at every moment a writer looks.
                _segmentInFlight = segment.Length;
                Interlocked.Add(ref _bytesWritten, segment.Length);
                try
                {
                    ResetTimeslice();
                    _driver.CallOnInput(segment);
                }
                catch (Exception ex)
                {
                    // A driver that throws on input fails its port.
                    Finish(ex);
                }
                lock (_writeGate)
                {
                    _drainingBytes -= _segmentInFlight;
                    _segmentInFlight = 0;
                }
                // The write of this very segment failed (EPIPE): none of it reached the descriptor.
                if (_writeError is not null && _state != State.Closed) _unwrittenBytes += segment.Length;
            }
        }
        batch.Clear();
        SyncQueueSize(drained: true);
    }

    /// <summary>
    /// Takes the pending segments for the driver, marking them in flight; null when there is nothing
    /// to hand over now (<paramref name="sync"/>: a close or half-close waits and must look again).
    /// </summary>
    private List<ReadOnlyMemory<byte>>? TakePending(out bool sync)
    {
        sync = false;
        lock (_writeGate)
        {
            _drainScheduled = false;
            // A caller is writing straight to the descriptor: it hands the rest over when done. A
            // driver still starting gets nothing yet: AcknowledgeStart drains what waits.
            if (_directBytes > 0 || _state is State.Created or State.Starting) return null;
            SealBatchLocked();
            // Only the sealed slices are handed over; later writes go on filling the same buffer
            // after them (the driver never sees those bytes), so no buffer is allocated per drain.
            if (_pending.Count == 0)
            {
                // Asked for by a direct write that ended while a close or half-close waits for the output.
                sync = _flushWaiting;
                return null;
            }
            var batch = _pending;
            _pending = _draining;
            _draining = batch;
            _drainingBytes = _pendingBytes; // in flight to the driver: still counted until it is written or queued
            _pendingBytes = 0;
            _queueBytes = _queue.Size;
            _loopOutput = true;
            return batch;
        }
    }
}

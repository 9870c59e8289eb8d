using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

public sealed partial class DriverContext
{
    private List<TaskCompletionSource<long>>? _closeWaiters;
    private PollWork? _closeTimer;
    private bool _inputEnding;
    private bool _inputEnded;
    private long _unwrittenBytes; // accepted but never written: dropped by a close timeout, an abort or a dead input

    /// <summary>Accepted bytes never written so far (what a close reports).</summary>
    internal long UnwrittenBytes => _unwrittenBytes;

    /// <summary>
    /// The loop shut down before the start ran (loop thread, during the shutdown): the port ends as
    /// if its loop had gone while it ran, so nothing waiting for it hangs and the driver releases
    /// what it holds (the spawn driver hands its child to the reaper).
    /// </summary>
    internal void AbandonUnstarted()
    {
        if (_state != State.Created) return;
        Finish(new ObjectDisposedException(nameof(PollScheduler), "The port's poll loop was disposed before the port started."));
    }

    /// <summary>
    /// Closes the port (loop thread): no more writes, and writers waiting on a busy port are
    /// released with <see cref="ObjectDisposedException"/>; the output and events end now (nothing
    /// more is delivered), while what is queued keeps being written in the background (Erlang's
    /// flush). Then the driver stops. After <paramref name="flushTimeout"/> the rest is dropped.
    /// <paramref name="done"/> gets the number of accepted bytes that were never written.
    /// </summary>
    internal void BeginClose(TimeSpan flushTimeout, TaskCompletionSource<long>? done)
    {
        CloseInput();
        if (_state == State.Closed)
        {
            done?.TrySetResult(_unwrittenBytes);
            return;
        }
        if (done is not null) (_closeWaiters ??= new()).Add(done);
        if (_state == State.Closing) return;
        bool started = _state == State.Open;
        _state = State.Closing;
        Volatile.Write(ref _flushWaiting, true);
        FailWaitingWriters(null);
        EndForUser(null);
        // A driver that never acknowledged its start can be handed nothing: what waits is dropped.
        if (!started) DropQueued();
        if (QueuedBytes == 0)
        {
            Finish(null);
            return;
        }
        ResetTimeslice();
        Guard(static d => d.CallOnFlush());
        if (_state == State.Closed) return;
        _closeTimer = Scheduler.Queue(static self =>
        {
            if (self._state != State.Closing) return;
            self.DropQueued(); // counted for the close, which then completes (the queue is empty)
            self.Finish(null);
        }, this, flushTimeout);
    }

    /// <summary>
    /// Erlang's <c>exit(Port, Reason)</c> (loop thread): closes without flushing — what is queued is
    /// dropped (and counted as unwritten) — and ends the port with <paramref name="reason"/>, or
    /// normally when it is null.
    /// </summary>
    internal void Abort(Exception? reason)
    {
        CloseInput();
        if (_state == State.Closed) return;
        DropQueued();
        Finish(reason);
    }

    /// <summary>
    /// Half-close (any thread): the user will write no more. Once everything queued has been
    /// handed over, the driver's <see cref="PortDriver.OnInputEnd"/> runs (the spawn driver
    /// closes the child's stdin) while output keeps flowing.
    /// </summary>
    internal void EndInput()
    {
        CloseInput();
        Scheduler.Post(static self =>
        {
            if (self._inputEnding || self._state is not (State.Open or State.Starting)) return;
            self._inputEnding = true;
            Volatile.Write(ref self._flushWaiting, true);
            bool nothingLeft;
            lock (self._writeGate) nothingLeft = self._pendingBytes + self._drainingBytes + self._directBytes + self._queueBytes == 0 && self._waiting.Count == 0;
            if (nothingLeft && self._state == State.Open) self.OnQueueEmpty();
        }, this);
    }

    /// <summary>
    /// A write failed for good (for example EPIPE when the reader went away): from now on every write
    /// throws the error at once; what is queued is dropped (counted as unwritten by close) and
    /// reported as a write-failure event; waiting writers fail. Reading goes on.
    /// </summary>
    public void ReportWriteError(int errno) => WriteFailed(Interop.Libc.IOError("write", errno), report: true);

    /// <summary>The process behind the port exited: its input is gone, so later writes fail at once (EPIPE); queued bytes are reported as a failed write.</summary>
    private void WriteEndedByExit()
    {
        bool queued;
        lock (_writeGate) queued = _pendingBytes + _drainingBytes + _queueBytes > 0;
        WriteFailed(Interop.Libc.IOError("write", Interop.Libc.EPIPE), report: queued);
    }

    private void WriteFailed(IOException error, bool report)
    {
        lock (_writeGate)
        {
            // Set already by a direct write that failed (which posts here to finish the job).
            if (_writeError is not null && !ReferenceEquals(_writeError, error)) return;
            _writeError = error;
        }
        DisableDirectWrites();
        long dropped = DropQueued();
        FailWaitingWriters(error);
        // Bytes that were queued when the input died are reported once (a write that threw told its caller).
        if ((report || dropped > 0) && !_ended) _sink.OnWriteFailed(error);
    }

    private void OnQueueEmpty()
    {
        if (_state == State.Closing)
        {
            Finish(null);
        }
        else if (_inputEnding && !_inputEnded && _state == State.Open)
        {
            _inputEnded = true;
            Guard(static d => d.CallOnInputEnd());
        }
    }

    /// <summary>Part of the one teardown path: whoever waits for the close learns how it went.</summary>
    private void CompleteCloseWaiters()
    {
        _closeTimer?.Dispose();
        _closeTimer = null;
        if (_closeWaiters is null) return;
        foreach (var waiter in _closeWaiters) waiter.TrySetResult(_unwrittenBytes);
        _closeWaiters = null;
    }
}

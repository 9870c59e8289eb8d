using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

public sealed partial class DriverContext
{
    private List<TaskCompletionSource<long>>? _closeWaiters;
    private PollWork? _closeTimer;
    private bool _inputEnding;
    private bool _inputEnded;
    private long _droppedOnClose;

    /// <summary>
    /// Closes the port (loop thread): no more writes; what is queued is flushed, then the
    /// driver stops. After <paramref name="flushTimeout"/> the rest is dropped and
    /// <paramref name="done"/> gets the number of dropped bytes.
    /// </summary>
    internal void BeginClose(TimeSpan flushTimeout, TaskCompletionSource<long>? done)
    {
        CloseInput();
        if (_state == State.Closed)
        {
            done?.TrySetResult(0);
            return;
        }
        if (done is not null) (_closeWaiters ??= new()).Add(done);
        if (_state == State.Closing) return;
        _state = State.Closing;
        Volatile.Write(ref _flushWaiting, true);
        if (QueuedBytes == 0)
        {
            CompleteClose(0);
            return;
        }
        ResetTimeslice();
        Guard(static d => d.OnFlush());
        if (_state == State.Closed) return;
        _closeTimer = Scheduler.Queue(static self =>
        {
            if (self._state != State.Closing) return;
            self.DropQueued(); // counted for the close, which then completes (the queue is empty)
            self.CompleteClose(0);
        }, this, flushTimeout);
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
            if (self._inputEnding || self._state != State.Open) return;
            self._inputEnding = true;
            Volatile.Write(ref self._flushWaiting, true);
            if (self.QueuedBytes == 0) self.OnQueueEmpty();
        }, this);
    }

    /// <summary>A write failed for good (for example EPIPE): drop the queue, fail writers; reading goes on (loop thread).</summary>
    public void ReportWriteError(int errno)
    {
        var error = Interop.Libc.IOError("write", errno);
        lock (_writeGate)
        {
            if (_writeError is not null) return;
            _writeError = error;
        }
        DropQueued();
        FailWaitingWriters(error);
        _sink.OnWriteFailed(error);
    }

    private void OnQueueEmpty()
    {
        if (_state == State.Closing)
        {
            CompleteClose(0);
        }
        else if (_inputEnding && !_inputEnded && _state == State.Open)
        {
            _inputEnded = true;
            Guard(static d => d.OnInputEnd());
        }
    }

    private void CompleteClose(long dropped)
    {
        _droppedOnClose += dropped;
        Finish(null);
    }

    /// <summary>Part of the one teardown path: whoever waits for the close learns how it went.</summary>
    private void CompleteCloseWaiters()
    {
        _closeTimer?.Dispose();
        _closeTimer = null;
        if (_closeWaiters is null) return;
        foreach (var waiter in _closeWaiters) waiter.TrySetResult(_droppedOnClose);
        _closeWaiters = null;
    }
}

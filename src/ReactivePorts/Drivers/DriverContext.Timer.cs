namespace ReactivePorts.Drivers;

public sealed partial class DriverContext
{
    private Polling.PollWork? _timer;
    private long _timerDue;
    private Polling.PollWork? _drainTimer;
    private readonly Dictionary<object, Task> _asyncByKey = new();

    /// <summary>Sets the port's one timer (Erlang's <c>driver_set_timer</c>); <see cref="PortDriver.OnTimeout"/> runs when it expires. Replaces a running timer.</summary>
    public void SetTimer(TimeSpan timeout)
    {
        CancelTimerCore();
        if (_state == State.Closed) return;
        _timerDue = Scheduler.Timestamp + Math.Max(0, timeout.Ticks);
        _timer = Scheduler.Queue(static self =>
        {
            self._timer = null;
            if (self._state == State.Closed) return;
            self.ResetTimeslice();
            self.Guard(static d => d.CallOnTimeout());
        }, this, timeout);
    }

    /// <summary>Cancels the timer (Erlang's <c>driver_cancel_timer</c>).</summary>
    public void CancelTimer() => CancelTimerCore();

    /// <summary>Time left on the timer, or null when none runs (Erlang's <c>driver_read_timer</c>).</summary>
    public TimeSpan? ReadTimer() =>
        _timer is null ? null : TimeSpan.FromTicks(Math.Max(0, _timerDue - Scheduler.Timestamp));

    private void CancelTimerCore()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>The teardown's part: the driver's timer and the port's own drain timer.</summary>
    private void CancelAllTimers()
    {
        CancelTimerCore();
        _drainTimer?.Dispose();
        _drainTimer = null;
    }

    private void SetDrainTimer() =>
        _drainTimer = Scheduler.Queue(static self =>
        {
            // The child is gone but something (a grandchild) still holds its output open: stop
            // reading (our read ends close, so the holder gets EPIPE rather than blocking) and end
            // the input as at end of file, so an unterminated last line is still delivered.
            self._drainTimer = null;
            if (self._state == State.Closed) return;
            if (self.IsReadingPaused)
            {
                // Reading is held back by a slow consumer, not by the holder: what the child wrote
                // is still in the pipe. Give the consumer another drain period rather than drop it.
                self.SetDrainTimer();
                return;
            }
            self.Guard(static d => d.CallOnStopReading());
            self.DeliverEof();
        }, this, _options.DrainTimeout);

    /// <summary>
    /// Runs <paramref name="work"/> off the loop on the thread pool (Erlang's <c>driver_async</c>).
    /// Work with the same non-null <paramref name="key"/> runs one at a time, in order. When it
    /// ends, <paramref name="completed"/> (or else <see cref="PortDriver.OnAsyncCompleted"/>) runs on the loop.
    /// </summary>
    public void Async(object? key, Action work, Action<Exception?>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        Task previous = key is not null && _asyncByKey.TryGetValue(key, out var last) ? last : Task.CompletedTask;
        var task = previous.ContinueWith(static (_, w) => ((Action)w!)(), work, CancellationToken.None,
            TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
        if (key is not null) _asyncByKey[key] = task;
        task.ContinueWith(t =>
        {
            try
            {
                Scheduler.Post(static s =>
                {
                    var (self, key, task, completed) = s;
                    if (key is not null && self._asyncByKey.TryGetValue(key, out var current) && current == task) self._asyncByKey.Remove(key);
                    if (self._state == State.Closed) return;
                    var error = task.Exception?.InnerException;
                    self.ResetTimeslice();
                    if (completed is not null)
                    {
                        try { completed(error); }
                        catch (Exception ex) { self.Finish(ex); } // as any driver callback: it fails the port
                    }
                    else
                    {
                        self.Guard(d => d.CallOnAsyncCompleted(key, error));
                    }
                }, (this, key, t, completed));
            }
            catch (ObjectDisposedException)
            {
                // The loop is gone: there is nobody left to tell.
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Erlang's <c>erl_drv_consume_timeslice</c>: the driver says how much of its time slice
    /// (1–100 %) it used since the callback began; true means it should return soon and continue on a
    /// later readiness. Every callback starts with a whole slice.
    /// </summary>
    public bool ConsumeTimeslice(int percent)
    {
        _timeslice += Math.Clamp(percent, 1, 100);
        return _timeslice >= 100;
    }

    private int _timeslice;

    internal void ResetTimeslice() => _timeslice = 0;
}

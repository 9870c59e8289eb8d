using ReactivePorts.Polling.Backends;

namespace ReactivePorts.Polling;

public sealed partial class PollScheduler
{
    // Guards the run queue, the timer heap and the sleeping flag. No user code runs under it.
    private readonly object _gate = new();
    private Queue<PollWork> _runQueue = new();
    private Queue<PollWork> _runningQueue = new();
    private readonly PriorityQueue<PollWork, (long Due, long Seq)> _timers = new();
    private long _timerSeq;
    private bool _sleeping;

    private readonly long _spinTicks;
    private readonly PollEvent[] _events;
    private readonly List<PollWork> _dueTimers = new();

    private void Enqueue(PollWork work, TimeSpan dueTime)
    {
        bool wake;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (dueTime <= TimeSpan.Zero)
            {
                _runQueue.Enqueue(work);
            }
            else
            {
                long now = _backend.GetTimestamp();
                // Saturated: a due time of TimeSpan.MaxValue means never, not at once (overflow).
                work.Due = dueTime.Ticks > long.MaxValue - now ? long.MaxValue : now + dueTime.Ticks;
                bool earliest = !_timers.TryPeek(out _, out var first) || work.Due < first.Due;
                _timers.Enqueue(work, (work.Due, _timerSeq++));
                // Only a new earliest timer shortens the loop's wait.
                if (!earliest) return;
            }
            wake = _sleeping;
            _sleeping = false;
        }
        if (wake || !_backend.NeedsThread) _backend.Wake();
    }

    /// <summary>Re-queues a periodic item at an absolute due time (loop thread).</summary>
    private void EnqueueAt(PollWork work, long due)
    {
        lock (_gate)
        {
            if (_disposed) return;
            work.Due = due;
            _timers.Enqueue(work, (due, _timerSeq++));
        }
    }

    private void RunLoop()
    {
        t_current = this;
        try
        {
            long lastActive = _backend.GetTimestamp();
            while (!_disposed)
            {
                int timeout = 0;
                bool spinning = _spinTicks > 0 && _backend.GetTimestamp() - lastActive < _spinTicks;
                if (!spinning) timeout = PrepareToSleep();
                if (RunOnceCore(timeout)) lastActive = _backend.GetTimestamp();
                // An empty spin gives the CPU to whoever waits for it (sched_yield returns at once
                // when nobody does): with more busy threads than CPUs (a writer, this loop and the
                // child on two vCPUs), a spinning loop would otherwise starve the very threads it
                // waits for.
                else if (spinning) Thread.Yield();
            }
        }
        finally
        {
            Shutdown();
            t_current = null;
        }
    }

    /// <summary>Decides how long the loop may block: not at all when work is queued; until the earliest timer otherwise.</summary>
    private int PrepareToSleep()
    {
        lock (_gate)
        {
            if (_runQueue.Count > 0 || _disposed) return 0;
            _sleeping = true;
            if (!_timers.TryPeek(out _, out var first)) return -1;
            long wait = first.Due - _backend.GetTimestamp();
            if (wait <= 0)
            {
                _sleeping = false;
                return 0;
            }
            // Round up to whole milliseconds so a timer is never run early.
            return (int)Math.Min(int.MaxValue, (wait + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        }
    }

    /// <summary>
    /// One iteration: wait for readiness (up to <paramref name="timeoutMs"/>), dispatch it, run
    /// due timers and queued work. Returns whether anything ran. Used directly by a virtual pump.
    /// </summary>
    internal bool RunOnce(int timeoutMs = 0)
    {
        var previous = t_current;
        t_current = this;
        try
        {
            return RunOnceCore(timeoutMs);
        }
        finally
        {
            t_current = previous;
        }
    }

    private bool RunOnceCore(int timeoutMs)
    {
        if (_pendingRemovals.Count > 0) ApplyPendingRemovals();
        int n = _backend.Wait(_events, timeoutMs);
        lock (_gate) _sleeping = false;
        bool active = n > 0;
        if (n > 0) Dispatch(_events.AsSpan(0, n));
        active |= RunDueTimers();
        active |= RunQueued();
        if (!_backend.NeedsThread) _backend.OnIdle(NextDue());
        return active;
    }

    private long? NextDue()
    {
        lock (_gate) return _timers.TryPeek(out _, out var first) ? first.Due : null;
    }

    private bool RunDueTimers()
    {
        long now = _backend.GetTimestamp();
        lock (_gate)
        {
            while (_timers.TryPeek(out var work, out var key) && key.Due <= now)
            {
                _timers.Dequeue();
                if (!work.IsCanceled) _dueTimers.Add(work);
            }
        }
        if (_dueTimers.Count == 0) return false;
        foreach (var work in _dueTimers) RunGuarded(work);
        _dueTimers.Clear();
        return true;
    }

    private bool RunQueued()
    {
        Queue<PollWork> batch;
        lock (_gate)
        {
            if (_runQueue.Count == 0) return false;
            // Swap the queues: work scheduled while this batch runs waits for the next iteration,
            // so a self-rescheduling action cannot starve the descriptors.
            batch = _runQueue;
            _runQueue = _runningQueue;
            _runningQueue = batch;
        }
        while (batch.TryDequeue(out var work))
        {
            if (_disposed)
            {
                // Left in the queue: the shutdown abandons it (see PollWork.Abandon).
                batch.Enqueue(work);
                break;
            }
            RunGuarded(work);
        }
        return true;
    }

    private void RunGuarded(PollWork work)
    {
        try
        {
            work.Run();
        }
        catch (Exception ex)
        {
            // A throwing callback must not kill the loop that every other port depends on.
            ReportError(ex);
        }
    }

    private readonly HashSet<ILoopShutdownListener> _shutdownListeners = new();

    /// <summary>Whether the loop has been disposed (it may still be shutting down).</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>Registers <paramref name="listener"/> to be told when the loop shuts down (loop thread).</summary>
    internal void AddShutdownListener(ILoopShutdownListener listener) => _shutdownListeners.Add(listener);

    /// <summary>Unregisters a shutdown listener (loop thread).</summary>
    internal void RemoveShutdownListener(ILoopShutdownListener listener) => _shutdownListeners.Remove(listener);

    private void Shutdown()
    {
        List<PollWork> abandoned;
        lock (_gate)
        {
            abandoned = [.. _runningQueue, .. _runQueue];
            _runningQueue.Clear();
            _runQueue.Clear();
            _timers.Clear();
        }
        // Ports end first (their subscribers are told, their descriptors deselected), so nothing
        // that lived on this loop is left waiting for events that will never come.
        foreach (var listener in _shutdownListeners.ToArray())
        {
            try
            {
                listener.OnLoopShutdown();
            }
            catch (Exception ex)
            {
                // One listener's failure must not keep the others from ending.
                ReportError(ex);
            }
        }
        _shutdownListeners.Clear();
        // Queued work is dropped (as Rx's EventLoopScheduler drops it), but what someone waits for
        // (a port's start, a close, a control call) is told, after the ports ended,, so no task hangs on a loop that is gone.
        foreach (var work in abandoned)
        {
            try
            {
                work.Abandon();
            }
            catch (Exception ex)
            {
                // One abandoned item's failure must not keep the others from being told.
                ReportError(ex);
            }
        }
        DeselectAll();
        _backend.Dispose();
        _errors.OnCompleted();
        _stopped.TrySetResult();
    }
}

public sealed partial class PollScheduler
{
    /// <summary>The backend: readiness, time and descriptor I/O all go through it (so a virtual one supplies them all).</summary>
    internal IPollBackend Backend => _backend;

    /// <summary>The loop's monotonic clock, in TimeSpan ticks.</summary>
    internal long Timestamp => _backend.GetTimestamp();

    internal void Reschedule(PollWork work, long due) => EnqueueAt(work, due);

    /// <summary>Whether the loop is blocked (or about to block) in the kernel: work posted now costs a wake-up (a hint, read without the gate).</summary>
    internal bool IsSleeping => Volatile.Read(ref _sleeping);
}

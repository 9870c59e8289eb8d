namespace ReactivePorts.Polling;

/// <summary>
/// Periodic work on the loop. Each run is due one period after the previous due time (not
/// after the previous run), so it does not drift; ticks missed while the loop was busy are
/// skipped rather than run in a burst.
/// </summary>
internal sealed class PeriodicWork<TState>(PollScheduler scheduler, TState state, TimeSpan period, Func<TState, TState> action) : PollWork
{
    private TState _state = state;

    protected override void Invoke()
    {
        try
        {
            _state = action(_state);
        }
        finally
        {
            // Rescheduled even when the action threw (the loop reports it and carries on).
            if (!IsCanceled) scheduler.Reschedule(this, NextDue());
        }
    }

    private long NextDue()
    {
        long now = scheduler.Timestamp;
        long p = period.Ticks;
        if (p <= 0) return now;
        long next = Due + p;
        if (next <= now) next += ((now - next) / p + 1) * p;
        return next;
    }
}

using System.Reactive.Concurrency;

namespace ReactivePorts.Polling;

/// <summary>A unit of work queued on the loop: run now, or at a due time on the timer heap.</summary>
internal abstract class PollWork : IDisposable
{
    private const int Pending = 0, Done = 1, Canceled = 2;
    private int _state;

    /// <summary>Due time in loop ticks (TimeSpan ticks on the backend's monotonic clock).</summary>
    internal long Due;

    internal bool IsCanceled => Volatile.Read(ref _state) == Canceled;

    /// <summary>Runs the work on the loop thread unless it was canceled.</summary>
    internal void Run()
    {
        if (Volatile.Read(ref _state) == Canceled) return;
        Invoke();
    }

    protected abstract void Invoke();

    /// <summary>Cancels the work if it has not run; releases what it holds.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, Canceled) != Canceled) OnCanceled();
    }

    protected virtual void OnCanceled() { }

    /// <summary>The loop shut down before this work ran: it never will (work that must not be lost silently says so here).</summary>
    internal virtual void Abandon() { }
}

/// <summary>An Rx action: <c>action(scheduler, state)</c>; the disposable it returns is disposed on cancel.</summary>
internal sealed class ScheduledAction<TState>(IScheduler scheduler, TState state, Func<IScheduler, TState, IDisposable> action) : PollWork
{
    private IDisposable? _inner;

    protected override void Invoke()
    {
        var inner = action(scheduler, state);
        // Dispose() may have raced with the action: whoever comes second disposes the inner work.
        if (Interlocked.CompareExchange(ref _inner, inner, null) != null)
            inner.Dispose();
    }

    protected override void OnCanceled() => Interlocked.Exchange(ref _inner, Disposable.Canceled)?.Dispose();

    private static class Disposable
    {
        internal static readonly IDisposable Canceled = System.Reactive.Disposables.Disposable.Empty;
    }
}

/// <summary>A plain callback with a state, used internally (no Rx disposable to track).</summary>
internal sealed class LoopCallback<TState>(Action<TState> action, TState state, Action<TState>? abandoned = null) : PollWork
{
    protected override void Invoke() => action(state);

    internal override void Abandon()
    {
        if (!IsCanceled) abandoned?.Invoke(state);
    }
}

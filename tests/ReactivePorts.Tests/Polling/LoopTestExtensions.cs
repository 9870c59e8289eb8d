using System.Reactive.Concurrency;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

internal static class LoopTestExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="action"/> on the loop and waits for it.</summary>
    public static Task<T> OnLoop<T>(this PollScheduler loop, Func<T> action)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Schedule(() =>
        {
            try { tcs.SetResult(action()); }
            catch (Exception ex) { tcs.SetException(ex); }
        });
        return tcs.Task.WaitAsync(Timeout);
    }

    public static Task OnLoop(this PollScheduler loop, Action action) => loop.OnLoop(() => { action(); return true; });

    /// <summary>
    /// Completes after the loop has run two more iterations, so at least one full
    /// epoll_wait happened after the caller's last action: a readiness that was going to be
    /// reported has been.
    /// </summary>
    public static Task Barrier(this PollScheduler loop)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Schedule(() => loop.Schedule(() => loop.Schedule(() => tcs.SetResult())));
        return tcs.Task.WaitAsync(Timeout);
    }
}

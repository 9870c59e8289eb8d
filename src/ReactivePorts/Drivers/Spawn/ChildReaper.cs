using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// The process-wide reaper: one poll loop of its own ("ReactivePorts Reaper", started on first
/// use) that takes over children whose port's loop shut down while they still ran, and children
/// abandoned by a failed open. It waits on their pidfds and reaps them, so no child is left a
/// zombie and no caller ever blocks waiting for one; the port's exit task still completes.
/// </summary>
internal static class ChildReaper
{
    private static readonly Lazy<PollScheduler> s_loop = new(() => new PollScheduler(new PollSchedulerOptions
    {
        ThreadName = "ReactivePorts Reaper",
        SpinDuration = TimeSpan.Zero, // reaping is never urgent: sleep in epoll, don't spin
    }));

    // The children being watched, by pid (for monitoring and tests; changed on the reaper's loop).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> s_watching = new();

    /// <summary>The reaper's loop (for tests).</summary>
    internal static PollScheduler Loop => s_loop.Value;

    /// <summary>Whether the reaper is watching the child with this pid.</summary>
    internal static bool IsWatching(int pid) => s_watching.ContainsKey(pid);

    /// <summary>Watches <paramref name="child"/> until it is reaped, then calls <paramref name="onReaped"/> (on the reaper's thread) and closes its pidfd. Any thread.</summary>
    public static void Adopt(ChildProcess child, Action<ExitStatus>? onReaped)
    {
        s_watching.TryAdd(child.Pid, 0);
        var watcher = new ChildWatcher(child, status =>
        {
            s_watching.TryRemove(child.Pid, out _);
            onReaped?.Invoke(status);
        });
        Loop.Post(static w => w.Start(Loop), watcher);
    }
}

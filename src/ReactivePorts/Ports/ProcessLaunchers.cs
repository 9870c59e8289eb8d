using System.Runtime.CompilerServices;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

/// <summary>
/// Which <see cref="IProcessLauncher"/> starts the children of spawn ports opened on a poll loop.
/// A loop has none unless one is set, and its spawn ports start real processes.
/// </summary>
public static class ProcessLaunchers
{
    private static readonly ConditionalWeakTable<PollScheduler, IProcessLauncher> s_launchers = new();

    /// <summary>Makes <paramref name="launcher"/> start the children of every spawn port opened on <paramref name="loop"/> from now on (once per loop, for the loop's life).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The loop already has a launcher.</exception>
    public static void Set(PollScheduler loop, IProcessLauncher launcher)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(launcher);
        if (!s_launchers.TryAdd(loop, launcher))
            throw new InvalidOperationException("This poll loop already has a process launcher; a loop has one for its whole life.");
    }

    /// <summary>The launcher set for <paramref name="loop"/>, or null when its spawn ports start real processes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="loop"/> is null.</exception>
    public static IProcessLauncher? Get(PollScheduler loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        return s_launchers.TryGetValue(loop, out var launcher) ? launcher : null;
    }
}

using System.Diagnostics;

namespace ReactivePorts.Reliability.Tests.Invariants;

/// <summary>How much a run may add to the process (issue 17's limits by default).</summary>
public sealed record ResourceLimits
{
    /// <summary>Threads the run may add (the thread pool may grow).</summary>
    public int ExtraThreads { get; init; } = 2;

    /// <summary>Managed-heap growth allowed, as a share of the baseline…</summary>
    public double MemoryShare { get; init; } = 0.10;

    /// <summary>…or in bytes, whichever is larger.</summary>
    public long MemoryBytes { get; init; } = 1 << 20;
}

/// <summary>
/// The process's resources before a run (open fds, threads, managed heap) and the checks after it:
/// exactly the same fds, no zombie children, at most <see cref="ResourceLimits.ExtraThreads"/> more
/// threads, the heap within the limits. <see cref="WaitUntilSettled"/> gives teardown that ends on
/// the loops (deselected descriptors, reaping) time to finish before it reports.
/// </summary>
public sealed class ResourceBaseline
{
    private ResourceBaseline(SortedDictionary<int, string> fds, int threads, long memory)
    {
        ThreadNames = ProcessProbe.ThreadNames();
        Fds = fds;
        Threads = threads;
        Memory = memory;
    }

    public SortedDictionary<int, string> Fds { get; }

    public int Threads { get; }

    /// <summary>The threads' names at the baseline (to name the ones added in a report).</summary>
    public List<string> ThreadNames { get; }

    public long Memory { get; }

    /// <summary>Measures now (a full collection first).</summary>
    public static ResourceBaseline Take()
    {
        long memory = ProcessProbe.ManagedMemoryAfterFullCollection();
        return new ResourceBaseline(ProcessProbe.OpenFds(), CountedThreads(ProcessProbe.ThreadNames()), memory);
    }

    /// <summary>
    /// Threads that count: all but the garbage collector's background thread, which the runtime
    /// starts once, lazily, at its first background collection (whenever that comes).
    /// </summary>
    private static int CountedThreads(List<string> names) => names.Count(n => !n.StartsWith(".NET BGC", StringComparison.Ordinal));

    /// <summary>Every way the process now differs from the baseline beyond <paramref name="limits"/> (empty when none).</summary>
    public List<string> Violations(ResourceLimits? limits = null, bool collect = true)
    {
        limits ??= new ResourceLimits();
        var violations = new List<string>();
        var fds = ProcessProbe.OpenFds();
        var opened = fds.Where(f => !Fds.TryGetValue(f.Key, out var t) || t != f.Value).Select(f => $"{f.Key}→{f.Value}").ToList();
        var closed = Fds.Where(f => !fds.TryGetValue(f.Key, out var t) || t != f.Value).Select(f => $"{f.Key}→{f.Value}").ToList();
        if (opened.Count > 0) violations.Add($"{opened.Count} fds opened and not closed: {string.Join(", ", opened.Take(20))}");
        if (closed.Count > 0) violations.Add($"{closed.Count} fds of the baseline closed or replaced: {string.Join(", ", closed.Take(20))}");
        var zombies = ProcessProbe.ZombieChildren();
        if (zombies.Count > 0) violations.Add($"{zombies.Count} zombie children: {string.Join(", ", zombies.Take(20))}");
        int threads = CountedThreads(ProcessProbe.ThreadNames());
        if (threads > Threads + limits.ExtraThreads)
        {
            var added = ProcessProbe.ThreadNames();
            foreach (string name in ThreadNames) added.Remove(name);
            violations.Add($"{threads - Threads} threads added (limit {limits.ExtraThreads}): {string.Join(", ", added)}");
        }
        if (collect)
        {
            long memory = ProcessProbe.ManagedMemoryAfterFullCollection();
            long allowed = Math.Max((long)(Memory * limits.MemoryShare), limits.MemoryBytes);
            if (memory - Memory > allowed) violations.Add($"managed heap grew by {memory - Memory:N0} bytes (from {Memory:N0}; limit {allowed:N0})");
        }
        return violations;
    }

    /// <summary>
    /// Checks until the process is back within the limits or <paramref name="timeout"/> passes, and
    /// returns what is still wrong (empty when settled). Teardown ends asynchronously (a loop closes a
    /// descriptor once it is deselected; a child is reaped when its pidfd fires), so the first look may
    /// come a moment early; the memory is measured once the rest has settled.
    /// </summary>
    public async Task<List<string>> WaitUntilSettled(TimeSpan timeout, ResourceLimits? limits = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            bool last = stopwatch.Elapsed >= timeout;
            var violations = Violations(limits, collect: false);
            if (violations.Count == 0 || last)
            {
                violations.AddRange(Violations(limits, collect: true).Where(v => v.StartsWith("managed heap", StringComparison.Ordinal)));
                if (violations.Count == 0 || last) return violations;
            }
            // Polling /proc: there is no event for "a descriptor was closed". A short pause, not a sleep for a condition.
            await Task.Delay(20);
        }
    }
}

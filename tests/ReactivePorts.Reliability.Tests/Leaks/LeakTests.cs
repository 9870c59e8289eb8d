using System.Diagnostics;
using ReactivePorts.Reliability.Tests.Invariants;
using ReactivePorts.Tests.Ports;
using Xunit.Abstractions;

namespace ReactivePorts.Reliability.Tests.Leaks;

/// <summary>Run alone (after the other reliability tests), so the descriptors, threads and heap measured are this test's.</summary>
[CollectionDefinition(nameof(LeakMeasurement), DisableParallelization = true)]
public sealed class LeakMeasurement;

/// <summary>
/// Issue 17's leak check: many open/close cycles of each kind, then exactly the same open fds,
/// no zombie children, at most 2 more threads and the managed heap within 10 % (or 1 MiB) of the
/// baseline. RELIABILITY_CYCLES sets the count (200 by default; the full run is 10000).
/// </summary>
[Trait("Category", "Reliability")]
[Collection(nameof(LeakMeasurement))]
public sealed class LeakTests(ITestOutputHelper output)
{
    // Cycles run this many at a time: enough to overlap opens with closes, few enough for 2 vCPUs.
    private const int Concurrency = 4;

    public static TheoryData<CycleKind> Kinds => new(Enum.GetValues<CycleKind>());

    [Theory(Timeout = 1_800_000)]
    [MemberData(nameof(Kinds))]
    public async Task OpenCloseCycles_LeaveNoFdZombieThreadOrMemory(CycleKind kind)
    {
        using var files = new TempDir("rp-leaks-");
        var cycles = new LeakCycles(files);
        // Warm up: every default loop started (one per processor, on first use), the thread pool grown
        // to this concurrency, the JIT done, gcc run; then the baseline.
        // Long enough for the thread pool's hill climbing to settle under blocking file I/O off the loop.
        await RunCycles(cycles, kind, 0, Math.Min(ReliabilitySettings.Cycles, 200));
        var baseline = ResourceBaseline.Take();

        int count = ReliabilitySettings.Cycles;
        var stopwatch = Stopwatch.StartNew();
        await RunCycles(cycles, kind, 1000, count);
        var elapsed = stopwatch.Elapsed;
        var violations = await baseline.WaitUntilSettled(TimeSpan.FromSeconds(20));
        var fds = ProcessProbe.OpenFds();
        long memory = ProcessProbe.ManagedMemoryAfterFullCollection();
        output.WriteLine($"{kind}: {count} cycles in {elapsed.TotalSeconds:F1} s; fds {baseline.Fds.Count} → {fds.Count}, " +
            $"threads {baseline.Threads} → {ProcessProbe.ThreadCount()}, managed heap {baseline.Memory:N0} → {memory:N0} bytes, zombies {ProcessProbe.ZombieChildren().Count}");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static async Task RunCycles(LeakCycles cycles, CycleKind kind, int first, int count)
    {
        int next = 0;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next) - 1) < count) await cycles.Run(kind, first + i);
        }
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Worker)));
    }
}

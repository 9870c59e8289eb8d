using System.Diagnostics;
using Xunit.Abstractions;

namespace ReactivePorts.Reliability.Tests.Simulation;

/// <summary>
/// The deterministic simulation (issue 17): for each seed, a scenario drawn from it runs the real
/// port stack on the virtual backend with random faults (short reads and writes, EAGAIN, EINTR,
/// EPIPE, delayed or lost reaping), and the invariants are checked. A failure names its seed and the
/// command that replays it; the same seed replays exactly.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact(Timeout = 3_600_000)] // SIM_SEEDS may ask for many; a hang inside one seed is caught per seed (RunGuarded)
    public async Task Seeds_EveryInvariantHolds()
    {
        await Task.Yield(); // xunit's timeout needs an async test
        var (start, count) = SimulationSettings.Seeds;
        var stopwatch = Stopwatch.StartNew();
        var failures = new List<SimulationResult>();
        long faults = 0, bytes = 0;
        for (int seed = start; seed < start + count; seed++)
        {
            var result = SimulationRunner.RunGuarded(seed);
            faults += result.Faults.Count;
            bytes += result.Scenario.Packets.Sum(p => (long)p.Length);
            if (!result.Passed)
            {
                failures.Add(result);
                if (failures.Count >= 20) break;
            }
        }
        output.WriteLine($"{count} seeds from {start}: {failures.Count} failed; {faults:N0} faults struck, {bytes:N0} bytes scripted; {stopwatch.Elapsed.TotalSeconds:F1} s");
        foreach (var failure in failures.Skip(1)) output.WriteLine(SimulationRunner.Describe(failure, full: false));
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} seed(s) failed: {string.Join(", ", failures.Select(f => f.Scenario.Seed))}\n" + SimulationRunner.Describe(failures[0], full: true));
    }

    [Fact]
    public void SameSeed_ReplaysExactly_EventsTicksAndFaults()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            var first = SimulationRun.Run(seed);
            var second = SimulationRun.Run(seed);
            Assert.Equal(first.Transcript, second.Transcript);
            Assert.Equal(first.Faults, second.Faults);
            Assert.Equal(first.Violations, second.Violations);
        }
        // A seed matters: different seeds give different runs.
        Assert.NotEqual(SimulationRun.Run(1).Transcript, SimulationRun.Run(2).Transcript);
    }

    [Fact]
    public void ScenarioFromSeed_IsTheSameEveryTime_AndCoversEveryKind()
    {
        Assert.Equal(SimulationScenario.FromSeed(77).ToString(), SimulationScenario.FromSeed(77).ToString());
        var scenarios = Enumerable.Range(1, 200).Select(SimulationScenario.FromSeed).ToList();
        Assert.Equal(Enum.GetValues<ChildEnding>().Length, scenarios.Select(s => s.Ending).Distinct().Count());
        Assert.Equal(Enum.GetValues<SubscriberKind>().Length, scenarios.Select(s => s.Subscriber).Distinct().Count());
        Assert.Contains(scenarios, s => s.ReapDelay is null);
        Assert.Contains(scenarios, s => s.ReapDelay > 0);
        Assert.Contains(scenarios, s => s.Rates.BrokenPipe > 0);
        Assert.Equal(["line", "packet", "stream"], scenarios.Select(s => s.FramingName.Split(" ")[0]).Distinct().Order());
    }

    [Fact]
    public void AFailure_NamesItsSeedAndTheCommandThatReplaysIt()
    {
        var result = SimulationRun.Run(5) with { Violations = ["a broken invariant"] };
        string text = SimulationRunner.Describe(result, full: true);
        Assert.StartsWith("seed 5: replay with SIM_SEED=5 dotnet test tests/ReactivePorts.Reliability.Tests", text);
        Assert.Contains("a broken invariant", text);
        Assert.Contains(result.Transcript[^1], text);
    }

    [Fact]
    public void TheChecks_CatchALostExitAndAnUnendedPort()
    {
        // A child the scenario expects reaped at once, whose reaping is lost: the port never learns
        // the exit, so its output never ends; the checks must say so (zombie, hang).
        var scenario = Enumerable.Range(1, 500).Select(SimulationScenario.FromSeed)
            .First(s => s.Ending == ChildEnding.Exit && s.ReapDelay == 0 && s.Subscriber == SubscriberKind.Plain);
        Assert.True(SimulationRun.Run(scenario).Passed);
        var tampered = SimulationRun.Run(scenario, script => script.NeverReaped());
        Assert.Contains(tampered.Violations, v => v.StartsWith("zombie:", StringComparison.Ordinal));
        Assert.Contains(tampered.Violations, v => v.StartsWith("hang:", StringComparison.Ordinal));
    }
}

namespace ReactivePorts.Reliability.Tests.Simulation;

/// <summary>Runs seeds with a wall-clock guard (a livelock in one tick would never return), and words failures.</summary>
public static class SimulationRunner
{
    public const string Command = "dotnet test tests/ReactivePorts.Reliability.Tests -c Release --filter \"FullyQualifiedName~Simulation.SimulationTests.Seeds\"";

    /// <summary>Runs <paramref name="seed"/>; a run that has not returned after <paramref name="wallClock"/> (120 s by default: the heaviest seed takes ~5 s alone, several times that on a loaded machine) is a failure (a hang inside one virtual tick).</summary>
    public static SimulationResult RunGuarded(int seed, TimeSpan? wallClock = null)
    {
        var run = Task.Factory.StartNew(() => SimulationRun.Run(seed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (run.Wait(wallClock ?? TimeSpan.FromSeconds(120))) return run.Result;
        var scenario = SimulationScenario.FromSeed(seed);
        return new SimulationResult(scenario, [], [], [$"hang: the run did not return within {(wallClock ?? TimeSpan.FromSeconds(120)).TotalSeconds} s of wall-clock time (work that never lets virtual time advance)"]);
    }

    /// <summary>"seed N: replay with SIM_SEED=N dotnet test …", the scenario, the violations, and the transcript (its tail unless <paramref name="full"/>) with the fault log.</summary>
    public static string Describe(SimulationResult result, bool full)
    {
        int seed = result.Scenario.Seed;
        var lines = new List<string>
        {
            $"seed {seed}: replay with SIM_SEED={seed} {Command}",
            $"scenario: {result.Scenario}",
        };
        lines.AddRange(result.Violations.Select(v => $"violation: {v}"));
        if (full)
        {
            var transcript = result.Transcript.Count > 400 ? [$"... {result.Transcript.Count - 400} lines before", .. result.Transcript.TakeLast(400)] : result.Transcript;
            lines.Add("transcript:");
            lines.AddRange(transcript.Select(t => $"  {t}"));
            lines.Add($"faults ({result.Faults.Count}): {string.Join("; ", result.Faults.TakeLast(200))}");
        }
        return string.Join('\n', lines);
    }
}

namespace ReactivePorts.Reliability.Tests.Simulation;

/// <summary>
/// Which seeds the simulation runs: 200 from 1 by default (CI); SIM_SEEDS=n runs n seeds, SIM_START=s
/// starts them at s, SIM_SEED=n runs that one seed alone (a failure's replay).
/// </summary>
internal static class SimulationSettings
{
    public const int DefaultSeeds = 200;

    public static (int Start, int Count) Seeds
    {
        get
        {
            if (Read("SIM_SEED") is { } one) return (one, 1);
            return (Read("SIM_START") ?? 1, Read("SIM_SEEDS") ?? DefaultSeeds);
        }
    }

    private static int? Read(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value)) return null;
        return int.TryParse(value, out int parsed) && parsed >= 0
            ? parsed
            : throw new ArgumentException($"{name} must be a non-negative integer, got '{value}'.");
    }
}

namespace ReactivePorts.Reliability.Tests;

/// <summary>How long the suite runs. CI runs the short counts; the full runs set the variables (see README, "Reliability").</summary>
internal static class ReliabilitySettings
{
    /// <summary>Open/close cycles of each kind in the leak tests: RELIABILITY_CYCLES, 200 by default (issue 17's full run: 10000).</summary>
    public static int Cycles { get; } = FromEnvironment("RELIABILITY_CYCLES", 200);

    /// <summary>Children per death in the lost-bytes tests: RELIABILITY_CHILDREN, 12 by default.</summary>
    public static int Children { get; } = FromEnvironment("RELIABILITY_CHILDREN", 12);

    /// <summary>The seed of the random choices (sizes, chunks, seeds of the streams): RELIABILITY_SEED, fixed by default so CI is repeatable.</summary>
    public static int Seed { get; } = FromEnvironment("RELIABILITY_SEED", 17);

    private static int FromEnvironment(string name, int fallback)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value)) return fallback;
        return int.TryParse(value, out int parsed) && parsed > 0
            ? parsed
            : throw new ArgumentException($"{name} must be a positive integer, got '{value}'.");
    }
}

using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts;

/// <summary>Options every kind of port shares; specs hold one and copy it on each <c>With…</c>.</summary>
internal sealed record PortOptions
{
    public FrameFormat Framing { get; init; } = FrameFormat.Stream;

    /// <summary>Framings asked for, in order, to detect contradictions at open.</summary>
    public IReadOnlyList<FrameFormat> FramingRequests { get; init; } = [];

    public long HighWatermark { get; init; } = 8192;

    public long LowWatermark { get; init; } = 4096;

    public bool HasExitStatus { get; init; } = true;

    public bool ValidateExit { get; init; }

    public bool ExitWaitsForEof { get; init; } = true;

    public bool StayOpenAfterEof { get; init; }

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool ZeroCopy { get; init; }

    public PollScheduler? Scheduler { get; init; }

    public bool KillOnClose { get; init; }

    public bool KillOnApplicationExit { get; init; }

    /// <summary>Whether the user can write to the child (false for an "in"-only port).</summary>
    public bool HasOutputToChild { get; init; } = true;

    /// <summary>Whether the port reads from the child (false for an "out"-only port).</summary>
    public bool HasInputFromChild { get; init; } = true;

    public DriverPortOptions ToDriverOptions(string name, bool hasInput = true) => new()
    {
        Framing = Framing,
        HighWatermark = HighWatermark,
        LowWatermark = LowWatermark,
        ExitWaitsForEof = ExitWaitsForEof,
        StayOpenAfterEof = StayOpenAfterEof,
        DrainTimeout = DrainTimeout,
        HasInput = hasInput,
        HasExitStatus = HasExitStatus,
        ZeroCopy = ZeroCopy,
        Name = name,
    };

    /// <summary>Throws when options contradict each other, saying which.</summary>
    /// <exception cref="InvalidOperationException">Two framings, or a low mark above the high mark.</exception>
    public void Validate()
    {
        var distinct = FramingRequests.Distinct().ToList();
        if (distinct.Count > 1)
            throw new InvalidOperationException($"Contradictory options: two framings were asked for ({string.Join(" and ", distinct)}).");
        if (HighWatermark > 0 && LowWatermark > HighWatermark)
            throw new InvalidOperationException($"Contradictory options: the low busy mark ({LowWatermark}) is above the high mark ({HighWatermark}).");
    }
}

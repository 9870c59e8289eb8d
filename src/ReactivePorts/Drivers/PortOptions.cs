using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

/// <summary>
/// A port's options, whatever its driver: the port core reads them, and specs hold one and copy it
/// on each <c>With…</c>. The exit and kill options matter only for drivers that offer a process
/// (<see cref="PortDriver.Process"/>); only the spawn spec lets a user set them.
/// </summary>
internal sealed record PortOptions
{
    public FrameFormat Framing { get; init; } = FrameFormat.Stream;

    /// <summary>Framings asked for, in order, to detect contradictions at open.</summary>
    public IReadOnlyList<FrameFormat> FramingRequests { get; init; } = [];

    /// <summary>Queue size at which the port becomes busy; 0 disables busy marks.</summary>
    public long HighWatermark { get; init; } = 8192;

    /// <summary>Queue size below which a busy port is ready again.</summary>
    public long LowWatermark { get; init; } = 4096;

    /// <summary>Whether the port reports an exit status (and its end waits for it).</summary>
    public bool HasExitStatus { get; init; }

    /// <summary>Whether a non-zero exit fails the port.</summary>
    public bool ValidateExit { get; init; }

    /// <summary>Whether exit waits for eof (Erlang's rule); otherwise exit is reported when reaped and the output is drained for <see cref="DrainTimeout"/>.</summary>
    public bool ExitWaitsForEof { get; init; } = true;

    /// <summary>Erlang's <c>eof</c> option: after eof (and the exit status) the port stays open until closed explicitly.</summary>
    public bool StayOpenAfterEof { get; init; }

    /// <summary>With <see cref="ExitWaitsForEof"/> off: how long to keep reading after the child was reaped.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a close keeps writing what is queued.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Deliver payloads valid only during OnNext (explicit zero-copy opt-in).</summary>
    public bool ZeroCopy { get; init; }

    /// <summary>The loop the port runs on; null for the process-wide default.</summary>
    public PollScheduler? Scheduler { get; init; }

    public bool KillOnClose { get; init; }

    public bool KillOnApplicationExit { get; init; }

    /// <summary>Whether the user can write to the port (false for an "in"-only port).</summary>
    public bool HasInput { get; init; } = true;

    /// <summary>Whether the port delivers anything (false for an "out"-only port).</summary>
    public bool HasOutput { get; init; } = true;

    /// <summary>Throws when options contradict each other, saying which.</summary>
    /// <exception cref="InvalidOperationException">Two framings, or a low mark above the high mark.</exception>
    public void Validate()
    {
        var distinct = FramingRequests.Distinct().ToList();
        if (distinct.Count > 1)
            throw new InvalidOperationException($"Contradictory options: two framings were asked for ({string.Join(" and ", distinct)}).");
        if (HighWatermark > 0 && LowWatermark > HighWatermark)
            throw new InvalidOperationException($"Contradictory options: the low busy mark ({LowWatermark}) is above the high mark ({HighWatermark}).");
        if (HighWatermark == 0 && LowWatermark > 0)
            throw new InvalidOperationException("Contradictory options: a low busy mark without a high one.");
    }
}

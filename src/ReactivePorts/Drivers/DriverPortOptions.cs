using ReactivePorts.Framing;

namespace ReactivePorts.Drivers;

/// <summary>What a driver port needs to know from the port's options.</summary>
internal sealed record DriverPortOptions
{
    public FrameFormat Framing { get; init; } = FrameFormat.Stream;

    /// <summary>Queue size at which the port becomes busy; 0 disables busy marks.</summary>
    public long HighWatermark { get; init; } = 8192;

    /// <summary>Queue size below which a busy port is ready again.</summary>
    public long LowWatermark { get; init; } = 4096;

    /// <summary>Whether exit waits for eof (Erlang's rule); otherwise exit is reported when reaped and the output is drained for <see cref="DrainTimeout"/>.</summary>
    public bool ExitWaitsForEof { get; init; } = true;

    /// <summary>With <see cref="ExitWaitsForEof"/> off: how long to keep reading after the child was reaped.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Erlang's <c>eof</c> option: after eof (and the exit status) the port stays open until closed explicitly.</summary>
    public bool StayOpenAfterEof { get; init; }

    /// <summary>Whether the port has an input stream (data from the driver) at all.</summary>
    public bool HasInput { get; init; } = true;

    /// <summary>Whether the port reports an exit status (a spawned child).</summary>
    public bool HasExitStatus { get; init; }

    /// <summary>Deliver payloads valid only during OnNext (explicit zero-copy opt-in).</summary>
    public bool ZeroCopy { get; init; }

    /// <summary>A name for port info.</summary>
    public string Name { get; init; } = "";
}

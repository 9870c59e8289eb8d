namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// How often <see cref="SeededFaults"/> strikes, as the chance of each port-side call. The
/// defaults exercise every recoverable path (short transfers, EAGAIN bursts, EINTR) and never the
/// terminal one (EPIPE).
/// </summary>
public sealed record FaultRates
{
    /// <summary>Chance that a read is short.</summary>
    public double ShortRead { get; init; } = 0.2;

    /// <summary>Chance that a write is short.</summary>
    public double ShortWrite { get; init; } = 0.2;

    /// <summary>Chance that a call starts a burst of EAGAIN.</summary>
    public double WouldBlock { get; init; } = 0.1;

    /// <summary>The longest EAGAIN burst (calls in a row).</summary>
    public int MaxWouldBlockBurst { get; init; } = 3;

    /// <summary>Chance that a call is interrupted (EINTR).</summary>
    public double Interrupted { get; init; } = 0.05;

    /// <summary>Chance that a write fails with EPIPE (it fails the port's input for good).</summary>
    public double BrokenPipe { get; init; }
}

using ReactivePorts.Framing;

namespace ReactivePorts;

/// <summary>
/// What happens on a port, in order: <see cref="PortData"/>…, <see cref="PortEof"/>,
/// <see cref="PortExited"/>, then <see cref="PortClosed"/>. Use pattern matching.
/// </summary>
public abstract record PortEvent
{
    private protected PortEvent() { }
}

/// <summary>A packet from the port.</summary>
/// <param name="Packet">The packet.</param>
public sealed record PortData(Packet Packet) : PortEvent
{
    /// <inheritdoc/>
    public override string ToString() => $"Data({Packet})";
}

/// <summary>The port's output reached end of file; every packet has been delivered.</summary>
public sealed record PortEof : PortEvent
{
    internal static readonly PortEof Instance = new();

    /// <inheritdoc/>
    public override string ToString() => "Eof";
}

/// <summary>The child process exited.</summary>
/// <param name="Status">How it ended.</param>
public sealed record PortExited(ExitStatus Status) : PortEvent
{
    /// <inheritdoc/>
    public override string ToString() => $"Exited({Status})";
}

/// <summary>A write failed for good (for example EPIPE: the child no longer reads). Reported once; the port keeps reading.</summary>
/// <param name="Error">The failure.</param>
public sealed record PortWriteFailed(Exception Error) : PortEvent
{
    /// <inheritdoc/>
    public override string ToString() => $"WriteFailed({Error.Message})";
}

/// <summary>The port closed; <paramref name="Error"/> is null for a normal end.</summary>
/// <param name="Error">Why the port failed, or null.</param>
public sealed record PortClosed(Exception? Error) : PortEvent
{
    /// <inheritdoc/>
    public override string ToString() => Error is null ? "Closed" : $"Closed({Error.Message})";
}

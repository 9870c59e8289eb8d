using ReactivePorts.Framing;

namespace ReactivePorts;

/// <summary>
/// What happens on a port, in order (Erlang's): <see cref="PortData"/>…, a
/// <see cref="PortTruncatedFrame"/> if the output ended inside a frame, <see cref="PortExited"/>
/// (for a process, with its exit status on), <see cref="PortEof"/> (eof mode only), then
/// <see cref="PortClosed"/>; <see cref="PortWriteFailed"/> where it happens. Use pattern matching.
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

/// <summary>Eof mode only (Erlang's <c>{Port, eof}</c>): the output reached end of file; every packet and the exit status have been delivered, and the port stays open until closed.</summary>
public sealed record PortEof : PortEvent
{
    internal static readonly PortEof Instance = new();

    /// <inheritdoc/>
    public override string ToString() => "Eof";
}

/// <summary>
/// The output ended inside a frame — a header promised more bytes than came, or the end fell
/// inside a header (unlike Erlang, which drops it silently). A diagnostic, in order before the exit
/// status; the port then ends as it would have without it.
/// </summary>
/// <param name="ExpectedBytes">The payload size the header announced, or the header size when <paramref name="InHeader"/>.</param>
/// <param name="ReceivedBytes">How many of them arrived.</param>
/// <param name="InHeader">Whether the output ended inside the header itself.</param>
public sealed record PortTruncatedFrame(long ExpectedBytes, long ReceivedBytes, bool InHeader) : PortEvent
{
    /// <inheritdoc/>
    public override string ToString() => $"TruncatedFrame({ReceivedBytes} of {ExpectedBytes}{(InHeader ? " header bytes" : " bytes")})";
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

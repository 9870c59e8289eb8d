namespace ReactivePorts;

/// <summary>Where a port is in its life.</summary>
public enum PortState
{
    /// <summary>Open: reading and writing.</summary>
    Open,

    /// <summary>Closed for its user (the output has ended), still writing what was queued before the close (Erlang's flush).</summary>
    Closing,

    /// <summary>Closed: its descriptors are released.</summary>
    Closed,
}

/// <summary>A snapshot of a port (Erlang's <c>erlang:port_info/1</c>).</summary>
/// <param name="Name">The port's name: the command or executable, or the driver's.</param>
/// <param name="DriverName">The driver behind the port ("spawn", or a driver's own name).</param>
/// <param name="OsPid">The OS process id, or null when the driver has none (Erlang's <c>undefined</c>).</param>
/// <param name="BytesRead">Payload bytes delivered from the port so far.</param>
/// <param name="BytesWritten">Bytes written to the port so far (framing headers included), counted when handed to the driver, which writes or queues them (queued ones are also in <paramref name="QueueSize"/>).</param>
/// <param name="PacketsRead">Packets delivered from the port so far (with stream framing, each chunk read is one).</param>
/// <param name="PacketsWritten">Packets accepted into the port so far (one per payload written, whatever its framing).</param>
/// <param name="QueueSize">Bytes accepted but not yet written.</param>
/// <param name="IsBusy">Whether senders are being held back.</param>
/// <param name="State">Open, closing (flushing after a close) or closed.</param>
/// <param name="ExitStatus">The exit status once known.</param>
public sealed record PortInfo(string Name, string DriverName, int? OsPid, long BytesRead, long BytesWritten, long PacketsRead, long PacketsWritten, long QueueSize, bool IsBusy, PortState State, ExitStatus? ExitStatus)
{
    /// <summary>Whether the port is open (<see cref="State"/> is <see cref="PortState.Open"/>).</summary>
    public bool IsOpen => State == PortState.Open;
}

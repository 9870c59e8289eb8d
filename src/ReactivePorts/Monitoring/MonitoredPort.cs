namespace ReactivePorts.Monitoring;

/// <summary>Where a monitored port is, as a monitor shows it.</summary>
public enum MonitoredPortState
{
    /// <summary>Open, and writers are not held back.</summary>
    Open,

    /// <summary>Open, and writers are held back (the port is busy: its queue reached the high mark).</summary>
    Busy,

    /// <summary>Closed for its user, still writing what was queued before the close (Erlang's flush).</summary>
    Closing,

    /// <summary>Ended: closed, and its process (if it had one) reaped. Kept in view for <see cref="PortMonitorOptions.Retention"/>, then removed.</summary>
    Exited,
}

/// <summary>One row of the live view of open ports: what a port is and what it has done, as sampled by a monitor.</summary>
/// <param name="Id">Unique in this process for its lifetime (ports are numbered as they open): the key of the change stream.</param>
/// <param name="Name">The port's name (the command or executable, or the driver's name).</param>
/// <param name="Kind">The driver behind the port: "spawn", "fd", "vanilla", or a driver's own name.</param>
/// <param name="OsPid">The OS process id, or null when the driver has none.</param>
/// <param name="State">Open, busy, closing or exited.</param>
/// <param name="BytesRead">Payload bytes delivered from the port (its output) so far.</param>
/// <param name="BytesWritten">Bytes written into the port (its input) so far, framing headers included.</param>
/// <param name="PacketsRead">Packets delivered from the port so far.</param>
/// <param name="PacketsWritten">Packets (payloads) written into the port so far.</param>
/// <param name="QueueSize">Bytes accepted into the port and not yet written.</param>
/// <param name="ExitStatus">The process's exit status once known.</param>
/// <param name="ReadBytesPerSecond">Bytes read per second since the previous sample (0 in the first).</param>
/// <param name="WrittenBytesPerSecond">Bytes written per second since the previous sample (0 in the first).</param>
public sealed record MonitoredPort(
    long Id,
    string Name,
    string Kind,
    int? OsPid,
    MonitoredPortState State,
    long BytesRead,
    long BytesWritten,
    long PacketsRead,
    long PacketsWritten,
    long QueueSize,
    ExitStatus? ExitStatus,
    double ReadBytesPerSecond,
    double WrittenBytesPerSecond);

namespace ReactivePorts;

/// <summary>A snapshot of a port (Erlang's <c>erlang:port_info/1</c>).</summary>
/// <param name="Name">The port's name: the command or executable.</param>
/// <param name="DriverName">The driver behind the port ("spawn").</param>
/// <param name="OsPid">The child's process id, if any.</param>
/// <param name="BytesRead">Payload bytes delivered from the port so far.</param>
/// <param name="BytesWritten">Bytes written to the port (with framing headers) so far.</param>
/// <param name="QueueSize">Bytes accepted but not yet written.</param>
/// <param name="IsBusy">Whether senders are being held back.</param>
/// <param name="IsOpen">Whether the port is still open.</param>
/// <param name="ExitStatus">The exit status once known.</param>
public sealed record PortInfo(string Name, string DriverName, int? OsPid, long BytesRead, long BytesWritten, long QueueSize, bool IsBusy, bool IsOpen, ExitStatus? ExitStatus);

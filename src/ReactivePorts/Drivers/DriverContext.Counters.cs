namespace ReactivePorts.Drivers;

// Packet counts for port info and monitoring, kept beside the byte counts they go with and in the
// same way: packets read are counted by the loop thread that delivers them (a plain increment, as
// _bytesRead), packets written under _writeGate, which every accepting writer already holds.
public sealed partial class DriverContext
{
    private long _packetsRead;     // loop thread only
    private long _packetsWritten;  // guarded by _writeGate: counted when accepted (at once, or when a waiting writer is admitted)

    /// <summary>Packets delivered so far.</summary>
    internal long PacketsRead => Volatile.Read(ref _packetsRead);

    /// <summary>Packets (payloads) accepted from writers so far.</summary>
    internal long PacketsWritten => Volatile.Read(ref _packetsWritten);
}

namespace ReactivePorts.Monitoring;

/// <summary>A port the tracker knows, with the number it got when it opened.</summary>
internal sealed class TrackedPort(long id, Port port)
{
    public long Id { get; } = id;

    public Port Port { get; } = port;

    /// <summary>The driver's name, the tag every metric of this port carries.</summary>
    public string Kind { get; } = port.DriverName;
}

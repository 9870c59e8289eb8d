namespace ReactivePorts.Drivers;

/// <summary>The driver API's version (Erlang's <c>ERL_DRV_EXTENDED_MAJOR_VERSION</c>/<c>MINOR_VERSION</c>).</summary>
public static class DriverApi
{
    /// <summary>The version this library implements: a new major version breaks drivers; a new minor version only adds.</summary>
    public static Version Version { get; } = new(1, 0);
}

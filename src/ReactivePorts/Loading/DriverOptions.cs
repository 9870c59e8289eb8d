namespace ReactivePorts.Drivers;

/// <summary>When a monitor is asked for, or how a reload may wait (Erlang's <c>pending_driver</c> / <c>pending</c> option values).</summary>
public enum DriverPending
{
    /// <summary>No monitor; no reload.</summary>
    None = 0,

    /// <summary>Only when waiting for the driver's ports (Erlang's <c>pending_driver</c>); a reload may not wait for other owners.</summary>
    PendingDriver,

    /// <summary>When waiting for ports or for other owners (Erlang's <c>pending</c>).</summary>
    Pending,
}

/// <summary>Options of <see cref="DriverOwner.TryLoad"/> (Erlang's <c>try_load</c> option list).</summary>
public sealed record DriverLoadOptions
{
    /// <summary>
    /// Erlang's <c>{driver_options, [kill_ports]}</c>: whenever the driver is unloaded or reloaded
    /// while ports of it are open, they are aborted with the reason
    /// <see cref="DriverLoader.DriverUnloadedReason"/> instead of being waited for. Every load of a
    /// loaded driver must agree on it.
    /// </summary>
    public bool KillPorts { get; init; }

    /// <summary>Erlang's <c>{monitor, …}</c>: return a <see cref="DriverResult.Monitor"/> when the load is pending.</summary>
    public DriverPending Monitor { get; init; }

    /// <summary>
    /// Erlang's <c>{reload, …}</c>: replace the loaded driver by the assembly at the given path once no
    /// port of it is open (<see cref="DriverPending.PendingDriver"/>: only when no other owner holds it),
    /// or once other owners have let it go too (<see cref="DriverPending.Pending"/>). The caller must hold it.
    /// </summary>
    public DriverPending Reload { get; init; }
}

/// <summary>Options of <see cref="DriverOwner.TryUnload"/> (Erlang's <c>try_unload</c> option list).</summary>
public sealed record DriverUnloadOptions
{
    /// <summary>Erlang's <c>kill_ports</c>: when this is the last owner, abort the driver's open ports now (reason <see cref="DriverLoader.DriverUnloadedReason"/>) instead of waiting for them.</summary>
    public bool KillPorts { get; init; }

    /// <summary>Erlang's <c>{monitor, …}</c>: return a <see cref="DriverResult.Monitor"/> when the unload is pending.</summary>
    public DriverPending Monitor { get; init; }
}

namespace ReactivePorts.Drivers;

/// <summary>Where a driver is in its life (Erlang's driver handle status).</summary>
public enum DriverState
{
    /// <summary>Built into the library (spawn, fd, vanilla): never loaded or unloaded.</summary>
    LinkedIn,

    /// <summary>Loaded and in use.</summary>
    Loaded,

    /// <summary>Loaded for good (<see cref="LoadableDriverAttribute.Permanent"/>).</summary>
    Permanent,

    /// <summary>Every owner let it go; it waits for its ports to close (or has its ports killed) before it unloads.</summary>
    Unloading,

    /// <summary>A reload waits for its ports (and maybe other owners), or the new version is being swapped in.</summary>
    Reloading,
}

/// <summary>An owner of a driver and how many references it holds (Erlang's <c>{Pid, Count}</c>).</summary>
/// <param name="Owner">The owner.</param>
/// <param name="Count">How many loads it has not unloaded (or monitors it has, in the awaiting lists).</param>
public readonly record struct DriverOwnerCount(DriverOwner Owner, int Count);

/// <summary>A snapshot of one driver (Erlang's <c>erl_ddll:info/2</c> items, all at once).</summary>
public sealed record DriverInfo
{
    /// <summary>The driver's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its state.</summary>
    public required DriverState State { get; init; }

    /// <summary>The assembly file it was loaded from; null for a built-in driver.</summary>
    public string? Path { get; init; }

    /// <summary>The loaded assembly's full name (with its version); null for a built-in driver.</summary>
    public string? AssemblyName { get; init; }

    /// <summary>Whether it is built in (Erlang's <c>linked_in_driver</c>).</summary>
    public bool IsLinkedIn => State == DriverState.LinkedIn;

    /// <summary>Whether it is permanent (Erlang's <c>permanent</c>).</summary>
    public bool IsPermanent => State == DriverState.Permanent;

    /// <summary>Erlang's <c>driver_options</c>: whether its ports are killed when it unloads or reloads.</summary>
    public bool KillPorts { get; init; }

    /// <summary>Open ports on it (Erlang's <c>port_count</c>); null for a built-in driver.</summary>
    public int? PortCount { get; init; }

    /// <summary>The owners holding it and their reference counts (Erlang's <c>processes</c>); empty for a permanent or built-in driver.</summary>
    public IReadOnlyList<DriverOwnerCount> Owners { get; init; } = [];

    /// <summary>Owners with monitors waiting for it to load (Erlang's <c>awaiting_load</c>).</summary>
    public IReadOnlyList<DriverOwnerCount> AwaitingLoad { get; init; } = [];

    /// <summary>Owners with monitors waiting for it to unload (Erlang's <c>awaiting_unload</c>).</summary>
    public IReadOnlyList<DriverOwnerCount> AwaitingUnload { get; init; } = [];
}

namespace ReactivePorts.Drivers;

/// <summary>Why a load, unload or open of a loaded driver failed (Erlang's <c>erl_ddll</c> error atoms and load errors).</summary>
public enum DriverError
{
    /// <summary>A built-in driver (spawn, fd, vanilla) cannot be loaded or unloaded (Erlang's <c>linked_in_driver</c>).</summary>
    LinkedInDriver = 1,

    /// <summary>The driver is loaded from another path or with other options (Erlang's <c>inconsistent</c>).</summary>
    Inconsistent,

    /// <summary>The driver is permanent and cannot be unloaded or reloaded (Erlang's <c>permanent</c>).</summary>
    Permanent,

    /// <summary>No driver of that name is loaded (Erlang's <c>not_loaded</c>).</summary>
    NotLoaded,

    /// <summary>Others hold the driver, but not this owner (Erlang's <c>not_loaded_by_this_process</c>).</summary>
    NotLoadedByThisOwner,

    /// <summary>A reload of the driver is already pending (Erlang's <c>pending_reload</c>).</summary>
    PendingReload,

    /// <summary>A reload that waits only for ports was asked for while other owners hold the driver (Erlang's <c>pending_process</c> error).</summary>
    PendingProcess,

    /// <summary>The driver is being unloaded with its ports killed, or swapped for its new version: no port can open on it now.</summary>
    Unloading,

    /// <summary>The assembly file does not exist.</summary>
    FileNotFound,

    /// <summary>The file is not a .NET assembly.</summary>
    NotAnAssembly,

    /// <summary>The assembly could not be loaded or inspected for another reason (a missing dependency, say).</summary>
    LoadFailed,

    /// <summary>The assembly declares no driver of that name (<see cref="LoadableDriverAttribute"/>).</summary>
    DriverNotFound,

    /// <summary>The class declared for the name is not a usable driver (not a public, concrete <see cref="PortDriver"/> with a public parameterless constructor).</summary>
    InvalidDriver,

    /// <summary>The driver was written for an incompatible driver API version (<see cref="PortDriver.ApiVersion"/>).</summary>
    IncorrectApiVersion,

    /// <summary>The driver's own <see cref="PortDriver.Name"/> differs from the name it was declared and loaded by (Erlang's bad driver name).</summary>
    NameMismatch,

    /// <summary>The driver's constructor (its <c>init</c>) threw (Erlang's failed driver init).</summary>
    InitFailed,
}

namespace ReactivePorts.Drivers;

/// <summary>Erlang's driver handle states, plus the swap of a reload.</summary>
internal enum EntryState
{
    Ok,
    Unload,       // no owner holds it; waits for its ports
    ForceUnload,  // as Unload, its ports being killed: no new port may open
    Reload,       // a reload waits for ports (and owners)
    ForceReload,  // as Reload, its ports being killed
    Swapping,     // the old version is gone, the new one is being loaded: no port may open
    Permanent,
}

internal enum HolderKind { Loaded, AwaitLoad, AwaitUnload }

/// <summary>One reference or monitor of an owner on a driver (Erlang's process entry).</summary>
internal sealed class Holder(DriverOwner owner, HolderKind kind, DriverMonitor? monitor = null)
{
    public DriverOwner Owner { get; } = owner;
    public HolderKind Kind { get; } = kind;
    public DriverMonitor? Monitor { get; } = monitor;

    /// <summary>Not counted as a reference while a reload waits (Erlang's dereferenced flag); counted again once the new version is in.</summary>
    public bool Dereferenced { get; set; }
}

/// <summary>A reload asked for and not done yet.</summary>
internal sealed record ReloadRequest(string Path, bool KillPorts);

/// <summary>
/// One name in a loader's registry (Erlang's <c>DE_Handle</c>). Every member is read and written
/// under the loader's lock.
/// </summary>
internal sealed class LoadedDriver(string name, DriverVersion current, bool killPorts)
{
    public string Name { get; } = name;

    /// <summary>The loaded version; null while a reload swaps versions.</summary>
    public DriverVersion? Current { get; set; } = current;

    public string Path { get; set; } = current.Path;
    public string AssemblyName { get; set; } = current.AssemblyName;
    public bool KillPorts { get; set; } = killPorts;
    public EntryState State { get; set; }
    public ReloadRequest? Reload { get; set; }
    public List<Holder> Holders { get; } = [];

    /// <summary>Ports counted against the driver: reserved by a factory call, then open until they complete.</summary>
    public int PortCount { get; set; }

    /// <summary>The open ports among those counted (a reserved one joins when its port exists).</summary>
    public HashSet<Port> Ports { get; } = [];

    /// <summary>The unload or reload has been handed to the thread pool.</summary>
    public bool Finishing { get; set; }

    public bool IsPending => State is EntryState.Unload or EntryState.ForceUnload or EntryState.Reload or EntryState.ForceReload;

    public bool RefusesPorts => State is EntryState.ForceUnload or EntryState.ForceReload or EntryState.Swapping;

    /// <summary>What keeps the driver from unloading or reloading: owners' references and ports (Erlang's refc).</summary>
    public int References
    {
        get
        {
            int n = PortCount;
            foreach (var h in Holders)
                if (h.Kind == HolderKind.Loaded && !h.Dereferenced) n++;
            return n;
        }
    }

    public int CountLoaded(DriverOwner? except = null)
    {
        int n = 0;
        foreach (var h in Holders)
            if (h.Kind == HolderKind.Loaded && h.Owner != except) n++;
        return n;
    }

    public Holder? Find(DriverOwner owner, HolderKind kind) => Holders.Find(h => h.Owner == owner && h.Kind == kind);

    /// <summary>Removes and returns the monitors waiting for <paramref name="kind"/>.</summary>
    public List<DriverMonitor> TakeMonitors(HolderKind kind)
    {
        var taken = new List<DriverMonitor>();
        Holders.RemoveAll(h =>
        {
            if (h.Kind != kind) return false;
            if (h.Monitor is not null) taken.Add(h.Monitor);
            return true;
        });
        return taken;
    }
}

/// <summary>A driver loaded after its own unload was decided: its monitors wait for the collection verdict.</summary>
internal sealed class UnloadingDriver(string name)
{
    public string Name { get; } = name;
    public List<DriverMonitor> Monitors { get; } = [];
}

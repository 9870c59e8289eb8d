using System.Diagnostics.CodeAnalysis;

namespace ReactivePorts.Drivers;

public sealed partial class DriverLoader
{
    [RequiresUnreferencedCode(DriverAssembly.TrimMessage)]
    internal DriverResult TryLoad(DriverOwner owner, string path, string name, DriverLoadOptions options)
    {
        if (IsLinkedIn(name)) return Failed(DriverError.LinkedInDriver, name, path);
        DriverVersion? loaded = null; // loaded outside the lock (its constructor is user code), committed under it
        while (true)
        {
            var after = new List<Action>();
            DriverResult result;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(owner.IsDisposed, owner);
                if (_drivers.TryGetValue(name, out var entry))
                {
                    result = LoadExisting(owner, entry, path, options, after);
                }
                else if (options.Reload != DriverPending.None)
                {
                    result = Failed(DriverError.NotLoaded, name, path);
                }
                else if (loaded is null)
                {
                    result = null!; // load it, then come back
                }
                else
                {
                    result = Commit(owner, name, loaded, options);
                    loaded = null;
                }
            }
            Run(after);
            if (loaded is not null)
            {
                // Someone else loaded the name meanwhile: ours was never used, so it just goes.
                loaded.Context.Unload();
                loaded = null;
            }
            if (result is not null) return result;
            try
            {
                loaded = DriverAssembly.Load(path, name);
            }
            catch (DriverLoadException ex)
            {
                return new DriverResult(DriverStatus.Failed, error: ex);
            }
        }
    }

    private DriverResult Commit(DriverOwner owner, string name, DriverVersion version, DriverLoadOptions options)
    {
        var entry = new LoadedDriver(name, version, options.KillPorts);
        version.Entry = entry;
        _drivers.Add(name, entry);
        if (version.Permanent)
            entry.State = EntryState.Permanent; // no owners: nobody can let it go
        else
            entry.Holders.Add(new Holder(owner, HolderKind.Loaded));
        return new DriverResult(DriverStatus.Loaded);
    }

    /// <summary>A load of a name in the registry: another reference, a reload, a revived unload, or a wait for a pending reload.</summary>
    private DriverResult LoadExisting(DriverOwner owner, LoadedDriver entry, string path, DriverLoadOptions options, List<Action> after)
    {
        string name = entry.Name;
        switch (entry.State)
        {
            case EntryState.Permanent:
                return Failed(DriverError.Permanent, name, path);

            case EntryState.Ok when options.Reload == DriverPending.None:
                if (entry.Path != path || entry.KillPorts != options.KillPorts)
                    return Failed(DriverError.Inconsistent, name, path, Mismatch(entry, path, options.KillPorts));
                entry.Holders.Add(new Holder(owner, HolderKind.Loaded));
                return new DriverResult(DriverStatus.AlreadyLoaded);

            case EntryState.Ok:
                return Reload(owner, entry, path, options, after);

            case EntryState.Unload or EntryState.ForceUnload:
                // Loaded again while it waited for its ports: the unload is off (Erlang revives it).
                if (options.Reload != DriverPending.None) return Failed(DriverError.NotLoadedByThisOwner, name, path);
                if (entry.Path != path || entry.KillPorts != options.KillPorts)
                    return Failed(DriverError.Inconsistent, name, path, Mismatch(entry, path, options.KillPorts));
                entry.State = EntryState.Ok;
                Notify(after, entry.TakeMonitors(HolderKind.AwaitUnload), new DriverEvent(name, DriverEventReason.UnloadCancelled));
                entry.Holders.Add(new Holder(owner, HolderKind.Loaded));
                return new DriverResult(DriverStatus.AlreadyLoaded);

            default: // a reload is pending or swapping: this load is the new version's, counted once it is in
                if (options.Reload != DriverPending.None) return Failed(DriverError.PendingReload, name, path);
                if (entry.Reload!.Path != path || entry.Reload.KillPorts != options.KillPorts)
                    return Failed(DriverError.Inconsistent, name, path, $"the pending reload is from '{entry.Reload.Path}'{(entry.Reload.KillPorts ? " with kill_ports" : "")}");
                entry.Holders.Add(new Holder(owner, HolderKind.Loaded) { Dereferenced = true });
                return Pending(owner, entry, DriverStatus.PendingDriver, options.Monitor, HolderKind.AwaitLoad);
        }
    }

    private DriverResult Reload(DriverOwner owner, LoadedDriver entry, string path, DriverLoadOptions options, List<Action> after)
    {
        string name = entry.Name;
        bool othersHold = entry.CountLoaded(except: owner) > 0;
        if (options.Reload == DriverPending.PendingDriver && othersHold)
            return Failed(DriverError.PendingProcess, name, path);
        if (entry.KillPorts != options.KillPorts)
            return Failed(DriverError.Inconsistent, name, path, Mismatch(entry, entry.Path, options.KillPorts));
        var mine = entry.Find(owner, HolderKind.Loaded);
        if (mine is null) return Failed(DriverError.NotLoadedByThisOwner, name, path);

        // The reload is granted: the caller's reference moves to the new version, and every
        // reference stops counting until the new version is in (only ports and owners' unloads matter).
        foreach (var h in entry.Holders)
            if (h.Kind == HolderKind.Loaded) h.Dereferenced = true;
        entry.State = EntryState.Reload;
        entry.Reload = new ReloadRequest(path, options.KillPorts);
        if (entry.KillPorts && entry.PortCount > 0)
        {
            entry.State = EntryState.ForceReload;
            KillPorts(entry, after);
        }
        var status = options.Reload == DriverPending.PendingDriver ? DriverStatus.PendingDriver : DriverStatus.PendingProcess;
        var result = Pending(owner, entry, status, options.Monitor, HolderKind.AwaitLoad);
        MaybeFinish(entry, after);
        return result;
    }

    /// <summary>A pending result, with a monitor when <paramref name="monitor"/> asks for one at this status.</summary>
    private DriverResult Pending(DriverOwner owner, LoadedDriver entry, DriverStatus status, DriverPending monitor, HolderKind waitsFor)
    {
        bool wanted = monitor == DriverPending.Pending || (monitor == DriverPending.PendingDriver && status == DriverStatus.PendingDriver);
        if (!wanted) return new DriverResult(status);
        var m = new DriverMonitor(this, owner, entry.Name, waitsFor == HolderKind.AwaitLoad ? DriverMonitorKind.Loaded : DriverMonitorKind.Unloaded);
        entry.Holders.Add(new Holder(owner, waitsFor, m));
        return new DriverResult(status, m);
    }

    private static string Mismatch(LoadedDriver entry, string path, bool killPorts) =>
        entry.Path != path ? $"it is loaded from '{entry.Path}'" : $"it is loaded {(entry.KillPorts ? "with" : "without")} kill_ports, asked {(killPorts ? "with" : "without")}";

    private static DriverResult Failed(DriverError error, string name, string? path, string? detail = null) =>
        new(DriverStatus.Failed, error: new DriverLoadException(error, name, path, detail));

    private static void Notify(List<Action> after, List<DriverMonitor> monitors, DriverEvent e)
    {
        foreach (var m in monitors) after.Add(() => m.Fire(e));
    }
}

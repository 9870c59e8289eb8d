namespace ReactivePorts.Drivers;

public sealed partial class DriverLoader
{
    internal DriverResult TryUnload(DriverOwner owner, string name, DriverUnloadOptions options)
    {
        if (IsLinkedIn(name)) return Failed(DriverError.LinkedInDriver, name, null);
        var after = new List<Action>();
        DriverResult result;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(owner.IsDisposed, owner);
            if (!_drivers.TryGetValue(name, out var entry)) return Failed(DriverError.NotLoaded, name, null);
            if (entry.State == EntryState.Permanent) return Failed(DriverError.Permanent, name, entry.Path);
            var mine = entry.Find(owner, HolderKind.Loaded);
            if (mine is null && entry.CountLoaded() > 0) return Failed(DriverError.NotLoadedByThisOwner, name, entry.Path);
            if (mine is not null) entry.Holders.Remove(mine);

            if (entry.CountLoaded() > 0)
            {
                result = Pending(owner, entry, DriverStatus.PendingProcess, options.Monitor, HolderKind.AwaitUnload);
            }
            else
            {
                LastOwnerGone(entry, after);
                if ((options.KillPorts || entry.KillPorts) && entry.PortCount > 0)
                {
                    entry.State = EntryState.ForceUnload;
                    KillPorts(entry, after);
                }
                result = Pending(owner, entry, DriverStatus.PendingDriver, options.Monitor, HolderKind.AwaitUnload);
                MaybeFinish(entry, after);
            }
        }
        Run(after);
        return result;
    }

    /// <summary>No owner holds the driver any more: a pending reload is cancelled, and it unloads once its ports are gone.</summary>
    private static void LastOwnerGone(LoadedDriver entry, List<Action> after)
    {
        if (entry.State is EntryState.Reload or EntryState.ForceReload)
        {
            Notify(after, entry.TakeMonitors(HolderKind.AwaitLoad), new DriverEvent(entry.Name, DriverEventReason.LoadCancelled));
            entry.Reload = null;
        }
        if (entry.State != EntryState.Swapping) entry.State = EntryState.Unload; // a swap sees it when it ends
    }

    /// <summary>An owner died (Erlang's process exit): all its references and monitors go.</summary>
    internal void OwnerDied(DriverOwner owner)
    {
        var after = new List<Action>();
        lock (_gate)
        {
            foreach (var entry in _drivers.Values.ToList())
            {
                if (entry.State == EntryState.Permanent) continue;
                int removed = entry.Holders.RemoveAll(h =>
                {
                    if (h.Owner != owner) return false;
                    if (h.Monitor is { } m) after.Add(m.Drop);
                    return true;
                });
                if (removed == 0 || entry.CountLoaded() > 0) continue;
                if (entry.State is EntryState.Ok or EntryState.Reload or EntryState.ForceReload or EntryState.Swapping)
                {
                    LastOwnerGone(entry, after);
                    if (entry.KillPorts && entry.PortCount > 0)
                    {
                        entry.State = EntryState.ForceUnload;
                        KillPorts(entry, after);
                    }
                }
                MaybeFinish(entry, after);
            }
            foreach (var ghost in _unloading)
                ghost.Monitors.RemoveAll(m =>
                {
                    if (m.Owner != owner) return false;
                    after.Add(m.Drop);
                    return true;
                });
        }
        Run(after);
    }

    internal DriverMonitor Monitor(DriverOwner owner, string name, DriverMonitorKind kind)
    {
        var monitor = new DriverMonitor(this, owner, name, kind);
        DriverEventReason? now = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(owner.IsDisposed, owner);
            _drivers.TryGetValue(name, out var entry);
            var ghost = _unloading.LastOrDefault(g => g.Name == name);
            if (IsLinkedIn(name) || entry?.State == EntryState.Permanent)
                now = DriverEventReason.Permanent;
            else if (kind == DriverMonitorKind.Loaded)
                now = entry?.State switch
                {
                    null => DriverEventReason.Unloaded,
                    EntryState.Ok => DriverEventReason.Loaded,
                    EntryState.Unload or EntryState.ForceUnload => DriverEventReason.LoadCancelled,
                    _ => null, // a reload is pending: wait for it
                };
            else if (entry is null && ghost is null)
                now = DriverEventReason.Unloaded;

            if (now is null)
            {
                if (entry is not null)
                    entry.Holders.Add(new Holder(owner, kind == DriverMonitorKind.Loaded ? HolderKind.AwaitLoad : HolderKind.AwaitUnload, monitor));
                else
                    ghost!.Monitors.Add(monitor); // its collection verdict is still out
            }
        }
        if (now is { } reason) monitor.Fire(new DriverEvent(name, reason));
        return monitor;
    }

    internal void Demonitor(DriverMonitor monitor)
    {
        lock (_gate)
        {
            if (_drivers.TryGetValue(monitor.Driver, out var entry))
                entry.Holders.RemoveAll(h => h.Monitor == monitor);
            foreach (var ghost in _unloading)
                ghost.Monitors.Remove(monitor);
        }
    }

    /// <summary>Aborts every open port of the driver (after the lock is released); they count until they have completed.</summary>
    private static void KillPorts(LoadedDriver entry, List<Action> after)
    {
        foreach (var port in entry.Ports.ToList())
            after.Add(() => _ = port.AbortAsync(DriverUnloadedReason));
    }

    /// <summary>When nothing holds a pending driver any more, hands its unload or reload to the thread pool (never done on a port's loop).</summary>
    private void MaybeFinish(LoadedDriver entry, List<Action> after)
    {
        if (!entry.IsPending || entry.Finishing || entry.References > 0) return;
        entry.Finishing = true;
        after.Add(() => ThreadPool.UnsafeQueueUserWorkItem(static s => s.loader.Finish(s.entry), (loader: this, entry), preferLocal: false));
    }
}

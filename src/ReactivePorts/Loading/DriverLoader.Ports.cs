namespace ReactivePorts.Drivers;

public sealed partial class DriverLoader
{
    /// <summary>
    /// The factory behind <see cref="Driver(string)"/>: counts a port against the version loaded now
    /// (so the driver cannot unload under it), then makes its instance outside the lock. The count is
    /// held by the returned lease, which gives it back exactly once: when the port completes, or when
    /// the open fails before the port could start.
    /// </summary>
    private DriverLease CreateForPort(string name)
    {
        LoadedDriver entry;
        Func<PortDriver> create;
        string path;
        lock (_gate)
        {
            if (!_drivers.TryGetValue(name, out entry!))
                throw new DriverLoadException(DriverError.NotLoaded, name, null, IsLinkedIn(name) ? "it is built in: open it with Port.Spawn, Port.OpenFd or Port.OpenFile" : null);
            if (entry.RefusesPorts || entry.Current is null) // Current is null only while a reload swaps
                throw new DriverLoadException(DriverError.Unloading, name, entry.Path);
            entry.PortCount++;
            create = entry.Current.Create;
            path = entry.Path;
        }
        try
        {
            return new PortCount(this, entry, create());
        }
        catch (Exception ex)
        {
            // The plugin's constructor threw: the port is not opened, and is no longer counted.
            PortEnded(entry, null);
            throw new DriverLoadException(DriverError.InitFailed, name, path, null, ex);
        }
    }

    private void PortEnded(LoadedDriver entry, Port? port)
    {
        var after = new List<Action>();
        lock (_gate)
        {
            if (port is not null) entry.Ports.Remove(port);
            entry.PortCount--;
            MaybeFinish(entry, after);
        }
        Run(after);
    }

    /// <summary>One port counted against a loaded driver (its entry known from the start, not looked up again).</summary>
    private sealed class PortCount(DriverLoader loader, LoadedDriver entry, PortDriver driver) : DriverLease(driver)
    {
        /// <summary>The port made from the counted instance exists: it is tracked until it completes, and killed at once if its driver is being killed.</summary>
        public override void Opened(Port port)
        {
            bool kill;
            lock (loader._gate)
            {
                entry.Ports.Add(port);
                kill = entry.State is EntryState.ForceUnload or EntryState.ForceReload;
            }
            if (kill) _ = port.AbortAsync(DriverUnloadedReason);
            port.Completion.ContinueWith(static (_, s) =>
            {
                var (lease, port) = ((PortCount, Port))s!;
                lease.Release(port);
            }, (this, port), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        protected override void OnReleased(Port? port) => loader.PortEnded(entry, port);
    }
}

using System.Runtime.Loader;

namespace ReactivePorts.Drivers;

public sealed partial class DriverLoader
{
    /// <summary>
    /// The factory behind <see cref="Driver(string)"/>: counts a port against the version loaded now
    /// (so the driver cannot unload under it), then makes its instance outside the lock.
    /// </summary>
    private PortDriver CreateForPort(string name)
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
            return create();
        }
        catch (Exception ex)
        {
            // The plugin's constructor threw: the port is not opened, and is no longer counted.
            PortEnded(entry, null);
            throw new DriverLoadException(DriverError.InitFailed, name, path, null, ex);
        }
    }

    /// <summary>The port made from a counted instance exists: it is tracked until it completes, and killed at once if its driver is being killed.</summary>
    private void PortOpened(Port port)
    {
        var context = AssemblyLoadContext.GetLoadContext(port.Core.Driver.GetType().Assembly) as DriverLoadContext;
        var entry = context?.Version?.Entry ?? throw new InvalidOperationException("A loaded driver's port lost its driver.");
        bool kill;
        lock (_gate)
        {
            entry.Ports.Add(port);
            kill = entry.State is EntryState.ForceUnload or EntryState.ForceReload;
        }
        if (kill) _ = port.AbortAsync(DriverUnloadedReason);
        port.Completion.ContinueWith(static (_, s) =>
        {
            var (loader, entry, port) = ((DriverLoader, LoadedDriver, Port))s!;
            loader.PortEnded(entry, port);
        }, (this, entry, port), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Drivers;

public sealed partial class DriverLoader
{
    /// <summary>
    /// Nothing holds a pending driver (thread pool): an unload takes it out of the registry and
    /// unloads its context; a reload unloads the old context first and then loads the new version
    /// under the same name, so the two never run side by side.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached after TryLoad, which carries the requirement.")]
    private void Finish(LoadedDriver entry)
    {
        var after = new List<Action>();
        DriverVersion? old;
        ReloadRequest? reload;
        UnloadingDriver ghost;
        lock (_gate)
        {
            entry.Finishing = false;
            if (!entry.IsPending || entry.References > 0) return; // revived, or a port opened meanwhile: later
            old = entry.Current;
            entry.Current = null;
            ghost = new UnloadingDriver(entry.Name);
            ghost.Monitors.AddRange(entry.TakeMonitors(HolderKind.AwaitUnload));
            _unloading.Add(ghost);
            reload = entry.Reload;
            if (reload is null)
            {
                _drivers.Remove(entry.Name);
                foreach (var h in entry.Holders)
                    if (h.Monitor is { } m) after.Add(m.Drop);
                entry.Holders.Clear();
            }
            else
            {
                entry.State = EntryState.Swapping;
            }
        }
        Run(after);
        var context = UnloadContext(ref old);
        _ = WatchCollection(context, ghost);
        if (reload is not null) SwapIn(entry, reload);
    }

    /// <summary>Loads the new version of a reload (thread pool, the old one already unloaded) and tells those waiting.</summary>
    [RequiresUnreferencedCode(DriverAssembly.TrimMessage)]
    private void SwapIn(LoadedDriver entry, ReloadRequest reload)
    {
        DriverVersion? loaded = null;
        DriverLoadException? failure = null;
        try
        {
            loaded = DriverAssembly.Load(reload.Path, entry.Name);
        }
        catch (DriverLoadException ex)
        {
            failure = ex;
        }
        var after = new List<Action>();
        lock (_gate)
        {
            entry.Reload = null;
            if (loaded is null)
            {
                // Erlang's load_failure: the driver is gone, and every reference to it.
                _drivers.Remove(entry.Name);
                Notify(after, entry.TakeMonitors(HolderKind.AwaitLoad), new DriverEvent(entry.Name, DriverEventReason.LoadFailure, failure));
                foreach (var h in entry.Holders)
                    if (h.Monitor is { } m) after.Add(m.Drop);
                entry.Holders.Clear();
            }
            else
            {
                loaded.Entry = entry;
                entry.Current = loaded;
                entry.Path = loaded.Path;
                entry.AssemblyName = loaded.AssemblyName;
                entry.KillPorts = reload.KillPorts;
                if (loaded.Permanent)
                {
                    entry.State = EntryState.Permanent;
                    var up = new DriverEvent(entry.Name, DriverEventReason.Permanent);
                    Notify(after, entry.TakeMonitors(HolderKind.AwaitLoad), up);
                    Notify(after, entry.TakeMonitors(HolderKind.AwaitUnload), up);
                    entry.Holders.Clear();
                }
                else
                {
                    entry.State = EntryState.Ok;
                    foreach (var h in entry.Holders) h.Dereferenced = false;
                    Notify(after, entry.TakeMonitors(HolderKind.AwaitLoad), new DriverEvent(entry.Name, DriverEventReason.Loaded));
                    if (entry.CountLoaded() == 0)
                    {
                        // Every owner let go during the swap: the new version unloads in turn.
                        entry.State = EntryState.Unload;
                        MaybeFinish(entry, after);
                    }
                }
            }
        }
        Run(after);
    }

    /// <summary>Unloads the context and keeps only a weak reference to it; the strong one is cleared here, so no frame of ours holds it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UnloadContext(ref DriverVersion? version)
    {
        var context = version!.Context;
        version = null;
        context.Version = null;
        context.Unload();
        return new WeakReference(context, trackResurrection: false);
    }

    /// <summary>
    /// The collection proof (thread pool): watches the context until it is gone or the timeout has
    /// passed, then reports <see cref="DriverEventReason.Unloaded"/> or <see cref="DriverEventReason.Leaked"/>
    /// to the monitors waiting for it. Full blocking collections are forced only in rounds where a
    /// monitor waits for the verdict (one may join while the watch runs); otherwise the context is
    /// only looked at, so an unload nobody watches costs no collections.
    /// </summary>
    private async Task WatchCollection(WeakReference context, UnloadingDriver ghost)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int pause = 1;
        bool collected, forced;
        while (true)
        {
            lock (_gate) forced = ghost.Monitors.Count > 0;
            if (forced) ForceCollections();
            collected = !context.IsAlive;
            if (collected || clock.Elapsed >= _collectionTimeout) break;
            // Finalizers and the runtime's own unload steps need a moment between rounds.
            await Task.Delay(pause).ConfigureAwait(false);
            pause = Math.Min(pause * 2, 50);
        }
        List<DriverMonitor> monitors;
        lock (_gate)
        {
            _unloading.Remove(ghost);
            monitors = [.. ghost.Monitors];
        }
        if (monitors.Count == 0) return;
        if (!collected && !forced)
        {
            // A monitor joined after the last round looked: it gets a verdict after a real try.
            ForceCollections();
            collected = !context.IsAlive;
        }
        var e = new DriverEvent(ghost.Name, collected ? DriverEventReason.Unloaded : DriverEventReason.Leaked);
        foreach (var m in monitors) m.Fire(e); // never throws: each subscriber is guarded (DriverMonitor)
    }

    private static void ForceCollections()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

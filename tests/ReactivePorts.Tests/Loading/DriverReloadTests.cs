using ReactivePorts.Drivers;
using static ReactivePorts.Tests.Loading.LoadingKit;

namespace ReactivePorts.Tests.Loading;

/// <summary>Reloading (erl_ddll's try_load with {reload, …}): waits, kill_ports, cancellation, failure; old and new never side by side.</summary>
public sealed class DriverReloadTests
{
    private static readonly DriverLoadOptions ReloadWhenNoPorts = new() { Reload = DriverPending.PendingDriver, Monitor = DriverPending.Pending };

    [Fact(Timeout = 30000)]
    public async Task Reload_PendingDriver_WaitsForTheOldPortThenNewPortsUseV2()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        using var watcher = loader.CreateOwner("watcher");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var port = loader.Driver("echo").Open();
        var oldUnloaded = Event(watcher.Monitor("echo", DriverMonitorKind.Unloaded));

        var reload = owner.TryLoad(V2, "echo", ReloadWhenNoPorts);
        var loaded = Event(reload.Monitor!);

        Assert.Equal(DriverStatus.PendingDriver, reload.Status);
        Assert.Equal(DriverState.Reloading, loader.GetInfo("echo").State);
        // A second reload while this one waits for the open port is refused, as erl_ddll's pending_reload.
        Assert.Equal(DriverError.PendingReload, owner.TryLoad(V2, "echo", ReloadWhenNoPorts with { Reload = DriverPending.Pending }).Error!.Error);
        Assert.Equal("1", Version(port)); // the old version serves its port until it closes
        Assert.False(loaded.IsCompleted);
        Assert.Equal("old", await Echo(port, "old")); // ending its subscription closes the port: the swap may follow at once
        var closed = port.Completion;
        port = null;
        await closed.WaitAsync(Patience);

        Assert.Equal(new DriverEvent("echo", DriverEventReason.Loaded), await loaded);
        Assert.Equal(DriverEventReason.Unloaded, (await oldUnloaded).Reason); // v1's context was collected
        Assert.Equal(("NEW", "2"), await RoundTrip(loader, "echo", "new"));
        var info = loader.GetInfo("echo");
        Assert.Equal(DriverState.Loaded, info.State);
        Assert.Equal(Path.GetFullPath(V2), info.Path);
        Assert.Contains("Version=2.0.0.0", info.AssemblyName);
        Assert.Equal([new DriverOwnerCount(owner, 1)], info.Owners);
        Assert.False(PluginInDefaultContext());
    }

    [Fact(Timeout = 30000)]
    public async Task Reload_KillPorts_AbortsOldPortsAndSwapsAtOnce()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo", new DriverLoadOptions { KillPorts = true }).ThrowIfFailed();
        var completion = OpenAndForget(loader);

        var reload = owner.TryLoad(V2, "echo", ReloadWhenNoPorts with { KillPorts = true });

        Assert.Equal(DriverStatus.PendingDriver, reload.Status);
        Assert.Equal(DriverLoader.DriverUnloadedReason, (await Assert.ThrowsAsync<PortAbortedException>(() => completion.WaitAsync(Patience))).Reason);
        Assert.Equal(DriverEventReason.Loaded, (await Event(reload.Monitor!)).Reason);
        Assert.Equal(("KILLED", "2"), await RoundTrip(loader, "echo", "killed"));
        Assert.True(loader.GetInfo("echo").KillPorts);
    }

    [Fact(Timeout = 30000)]
    public async Task Reload_OtherOwners_PendingDriverRefused_PendingGranted()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        var other = loader.CreateOwner("other");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        other.TryLoad(V1, "echo").ThrowIfFailed();

        var stranger = loader.CreateOwner("stranger").TryLoad(V1, "echo", new DriverLoadOptions { Reload = DriverPending.Pending });
        var refused = owner.TryLoad(V2, "echo", ReloadWhenNoPorts);
        var pending = owner.TryLoad(V2, "echo", ReloadWhenNoPorts with { Reload = DriverPending.Pending });

        Assert.Equal(DriverError.PendingProcess, refused.Error!.Error);
        Assert.Equal(DriverStatus.PendingProcess, pending.Status);
        Assert.Equal(DriverError.NotLoadedByThisOwner, stranger.Error!.Error);
        // As in erl_ddll, a granted reload stops counting every owner's reference until the new
        // version is in, so with no port open it happens at once; the others keep their references.
        Assert.Equal(DriverEventReason.Loaded, (await Event(pending.Monitor!)).Reason);
        Assert.Equal(2, loader.GetInfo("echo").Owners.Count);
        Assert.Equal(DriverStatus.PendingProcess, other.TryUnload("echo").Status);
        Assert.Equal("2", (await RoundTrip(loader, "echo", "x")).Version);
        Assert.Equal([new DriverOwnerCount(owner, 1)], loader.GetInfo("echo").Owners);
        other.Dispose();
    }

    [Fact(Timeout = 30000)]
    public async Task TryLoad_WhileReloadPends_JoinsTheNewVersion()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        using var joiner = loader.CreateOwner("joiner");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var completions = OpenAndForget(loader);
        var reload = owner.TryLoad(V2, "echo", ReloadWhenNoPorts);

        var inconsistent = joiner.TryLoad(V1, "echo");
        var join = joiner.TryLoad(V2, "echo", new DriverLoadOptions { Monitor = DriverPending.PendingDriver });

        Assert.Equal(DriverError.Inconsistent, inconsistent.Error!.Error);
        Assert.Equal(DriverStatus.PendingDriver, join.Status);
        Assert.Equal([new DriverOwnerCount(joiner, 1)], loader.GetInfo("echo").AwaitingLoad.Where(o => o.Owner == joiner));
        CloseOpen(loader);
        await completions.WaitAsync(Patience);
        Assert.Equal(DriverEventReason.Loaded, (await Event(join.Monitor!)).Reason);
        Assert.Equal(DriverEventReason.Loaded, (await Event(reload.Monitor!)).Reason);
        Assert.Equal(2, loader.GetInfo("echo").Owners.Count);
    }

    [Fact(Timeout = 30000)]
    public async Task TryUnload_ByTheLastOwnerWhileReloadPends_LoadCancelled()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var completion = OpenAndForget(loader);
        var reload = owner.TryLoad(V2, "echo", ReloadWhenNoPorts);

        var unload = owner.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });

        Assert.Equal(new DriverEvent("echo", DriverEventReason.LoadCancelled), await Event(reload.Monitor!));
        Assert.Equal(DriverStatus.PendingDriver, unload.Status);
        Assert.Equal(DriverState.Unloading, loader.GetInfo("echo").State);
        CloseOpen(loader);
        await completion.WaitAsync(Patience);
        Assert.Equal(DriverEventReason.Unloaded, (await Event(unload.Monitor!)).Reason);
    }

    [Fact(Timeout = 30000)]
    public async Task Reload_FromAFileThatIsNoAssembly_LoadFailureAndTheDriverIsGone()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        string garbage = Garbage();
        try
        {
            var reload = owner.TryLoad(garbage, "echo", ReloadWhenNoPorts);

            var failed = await Event(reload.Monitor!);

            Assert.Equal(DriverEventReason.LoadFailure, failed.Reason);
            Assert.Equal(DriverError.NotAnAssembly, failed.Failure!.Error);
            Assert.DoesNotContain("echo", loader.LoadedDrivers);
            Assert.Equal(DriverError.NotLoaded, Assert.Throws<DriverLoadException>(() => loader.Driver("echo").Open()).Error);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact(Timeout = 30000)]
    public async Task Reload_FromTheSameFile_LoadsAFreshContext()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var reload = owner.TryLoad(V1, "echo", ReloadWhenNoPorts); // the same file again: a fresh context

        Assert.Equal(DriverEventReason.Loaded, (await Event(reload.Monitor!)).Reason);
        Assert.Equal(("same", "1"), await RoundTrip(loader, "echo", "same"));
    }

    private static readonly List<Port> s_open = [];

    /// <summary>Opens a port that stays open (subscribed) until <see cref="CloseOpen"/>; returns its completion only.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Task OpenAndForget(DriverLoader loader)
    {
        var port = loader.Driver("echo").Open();
        port.Output.Subscribe(_ => { }, _ => { });
        lock (s_open) s_open.Add(port);
        var completion = port.Completion;
        // Forgotten once it ends, whoever ends it: only the loader's kill or CloseOpen.
        completion.ContinueWith(_ => { lock (s_open) s_open.Remove(port); }, TaskScheduler.Default);
        return completion;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CloseOpen(DriverLoader loader)
    {
        lock (s_open)
            foreach (var port in s_open.ToList())
                port.Dispose();
    }
}

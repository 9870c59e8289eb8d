using System.Runtime.CompilerServices;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;
using static ReactivePorts.Tests.Loading.LoadingKit;

namespace ReactivePorts.Tests.Loading;

/// <summary>Unloading: pending driver and process, kill_ports, owners dying (also concurrently), and the collection proof.</summary>
public sealed class DriverUnloadTests
{
    [Fact(Timeout = 30000)]
    public async Task TryUnload_LastOwnerNoPorts_UnloadedOnlyOnceTheContextIsCollected()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var context = await UseOnce(loader);

        var result = owner.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });

        Assert.Equal(DriverStatus.PendingDriver, result.Status);
        Assert.Equal(new DriverEvent("echo", DriverEventReason.Unloaded), await Event(result.Monitor!));
        Assert.False(context.IsAlive); // the loader saw it collected before it said so
        Assert.DoesNotContain("echo", loader.LoadedDrivers);
        Assert.Equal(DriverStatus.Loaded, owner.TryLoad(V1, "echo").Status); // the name is free again
    }

    [Fact(Timeout = 30000)]
    public async Task TryUnload_PortOpen_PendingDriverUntilThePortCloses()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var (port, context) = OpenWatched(loader, "echo");

        var result = owner.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });
        var unloaded = Event(result.Monitor!);

        Assert.Equal(DriverStatus.PendingDriver, result.Status);
        var info = loader.GetInfo("echo");
        Assert.Equal(DriverState.Unloading, info.State);
        Assert.Equal(1, info.PortCount);
        Assert.Empty(info.Owners);
        Assert.Equal("still here", await Echo(port, "still here")); // the port keeps working (and closes when the echo ends)
        Assert.False(unloaded.IsCompleted);
        var completion = port.Completion;
        port = null; // a Port holds its driver: a closed port kept by the user would keep the context (a leak)
        await completion.WaitAsync(Patience);
        Assert.Equal(DriverEventReason.Unloaded, (await unloaded).Reason);
        Assert.True(Collected(context));
    }

    [Fact(Timeout = 30000)]
    public async Task Open_FailsAfterTheDriverWasMade_PortIsUncountedAndUnloadCompletes()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "loop-disposing").ThrowIfFailed();
        var loop = new PollScheduler();
        AppDomain.CurrentDomain.SetData("ReactivePorts.Tests.LoopToDispose", loop); // the driver's init disposes it
        try
        {
            // The loop is alive when the spec picks it and disposed by the time the port starts.
            Assert.Throws<ObjectDisposedException>(() => loader.Driver("loop-disposing").WithScheduler(loop).Open());
        }
        finally
        {
            AppDomain.CurrentDomain.SetData("ReactivePorts.Tests.LoopToDispose", null);
        }

        Assert.Equal(0, loader.GetInfo("loop-disposing").PortCount);
        var result = owner.TryUnload("loop-disposing", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });
        Assert.Equal(DriverStatus.PendingDriver, result.Status);
        Assert.Equal(DriverEventReason.Unloaded, (await Event(result.Monitor!)).Reason); // bounded by Patience
    }

    [Fact(Timeout = 30000)]
    public async Task MonitorSubscriberThrows_ItIsReportedOnErrors_AndEveryOtherSubscriberAndMonitorIsTold()
    {
        var loader = new DriverLoader();
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var errors = loader.Errors.Subscribe(e => reported.TrySetResult(e));
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var first = owner.Monitor("echo", DriverMonitorKind.Unloaded);
        var second = owner.Monitor("echo", DriverMonitorKind.Unloaded);
        var failure = new InvalidOperationException("monitor subscriber failed on purpose");
        using var thrower = first.Subscribe(_ => throw failure);
        var firstTold = Event(first); // subscribed after the thrower, on the same monitor
        var secondTold = Event(second); // a monitor told after the throwing one

        Assert.Equal(DriverStatus.PendingDriver, owner.TryUnload("echo").Status);

        Assert.Equal(DriverEventReason.Unloaded, (await firstTold).Reason);
        Assert.Equal(DriverEventReason.Unloaded, (await secondTold).Reason);
        Assert.Same(failure, await reported.Task.WaitAsync(Patience));
    }

    [Fact(Timeout = 30000)]
    public async Task TryUnload_KillPorts_AbortsOpenPortsWithDriverUnloaded()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var (completions, ports) = OpenPorts(loader, 3);

        var result = owner.TryUnload("echo", new DriverUnloadOptions { KillPorts = true, Monitor = DriverPending.PendingDriver });

        Assert.Equal(DriverStatus.PendingDriver, result.Status);
        foreach (var completion in completions)
        {
            var aborted = await Assert.ThrowsAsync<PortAbortedException>(() => completion.WaitAsync(Patience));
            Assert.Equal(DriverLoader.DriverUnloadedReason, aborted.Reason);
        }
        ports.Dispose(); // lets go of the Port objects, which hold their drivers
        Assert.Equal(DriverEventReason.Unloaded, (await Event(result.Monitor!)).Reason);
    }

    [Fact(Timeout = 30000)]
    public async Task OwnerDies_LoadedWithKillPorts_PortsKilledAndDriverUnloaded()
    {
        var loader = new DriverLoader();
        using var watcher = loader.CreateOwner("watcher");
        var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo", new DriverLoadOptions { KillPorts = true }).ThrowIfFailed();
        Assert.True(loader.GetInfo("echo").KillPorts);
        var (completions, ports) = OpenPorts(loader, 2);
        var unloaded = Event(watcher.Monitor("echo", DriverMonitorKind.Unloaded));

        owner.Dispose();

        foreach (var completion in completions)
            Assert.Equal(DriverLoader.DriverUnloadedReason, (await Assert.ThrowsAsync<PortAbortedException>(() => completion.WaitAsync(Patience))).Reason);
        ports.Dispose();
        Assert.Equal(DriverEventReason.Unloaded, (await unloaded).Reason);
    }

    [Fact(Timeout = 30000)]
    public async Task TryLoad_WhileUnloadWaitsForPorts_RevivesIt_UnloadCancelled()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var (completions, ports) = OpenPorts(loader, 1);
        var unload = owner.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.Pending });

        var again = owner.TryLoad(V1, "echo");

        Assert.Equal(DriverStatus.AlreadyLoaded, again.Status);
        Assert.Equal(new DriverEvent("echo", DriverEventReason.UnloadCancelled), await Event(unload.Monitor!));
        Assert.Equal(DriverState.Loaded, loader.GetInfo("echo").State);
        Assert.False(completions[0].IsCompleted);
        ports.Dispose();
    }

    [Fact(Timeout = 30000)]
    public async Task TryUnload_OtherOwnersHold_PendingProcessWithMonitorOnlyWhenAskedForPending()
    {
        var loader = new DriverLoader();
        using var a = loader.CreateOwner("a");
        using var b = loader.CreateOwner("b");
        a.TryLoad(V1, "echo").ThrowIfFailed();
        b.TryLoad(V1, "echo").ThrowIfFailed();
        a.TryLoad(V1, "echo").ThrowIfFailed();

        var driverOnly = a.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });
        var pending = a.TryUnload("echo", new DriverUnloadOptions { Monitor = DriverPending.Pending });

        Assert.Equal(DriverStatus.PendingProcess, driverOnly.Status);
        Assert.Null(driverOnly.Monitor);
        Assert.Equal(DriverStatus.PendingProcess, pending.Status);
        Assert.NotNull(pending.Monitor);
        Assert.Equal([new DriverOwnerCount(a, 1)], loader.GetInfo("echo").AwaitingUnload);
        b.Dispose(); // the last holder dies
        Assert.Equal(DriverEventReason.Unloaded, (await Event(pending.Monitor!)).Reason);
    }

    [Fact(Timeout = 60000)]
    public async Task Owners_DisposedConcurrentlyFromManyThreads_CountsStayExactAndTheLastUnloads()
    {
        var loader = new DriverLoader();
        using var watcher = loader.CreateOwner("watcher");
        const int owners = 16, loadsEach = 5;
        var all = Enumerable.Range(0, owners).Select(i => loader.CreateOwner($"owner-{i}")).ToArray();
        OnThreads(all, o =>
        {
            for (int i = 0; i < loadsEach; i++)
                Assert.True(o.TryLoad(V1, "echo").IsSuccess);
        });
        Assert.Equal(owners, loader.GetInfo("echo").Owners.Count);
        Assert.All(loader.GetInfo("echo").Owners, o => Assert.Equal(loadsEach, o.Count));
        var unloaded = Event(watcher.Monitor("echo", DriverMonitorKind.Unloaded));
        var (completions, ports) = OpenPorts(loader, 4);

        OnThreads(all, o =>
        {
            o.Dispose();
            o.Dispose(); // idempotent
        });
        Assert.Equal(DriverState.Unloading, loader.GetInfo("echo").State); // every owner gone, ports still open
        Assert.Equal(4, loader.GetInfo("echo").PortCount);
        ports.Dispose(); // closes them
        await Task.WhenAll(completions).WaitAsync(Patience);
        Assert.Equal(DriverEventReason.Unloaded, (await unloaded).Reason);
        Assert.DoesNotContain("echo", loader.LoadedDrivers);
    }

    [Fact(Timeout = 30000)]
    public async Task LeakyDriver_HeldByAStaticEventOfTheHost_ReportedLeakedNeverUnloaded()
    {
        var loader = new DriverLoader(TimeSpan.FromMilliseconds(500));
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "leaky").ThrowIfFailed();

        var result = owner.TryUnload("leaky", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });

        Assert.Equal(new DriverEvent("leaky", DriverEventReason.Leaked), await Event(result.Monitor!));
        Assert.DoesNotContain("leaky", loader.LoadedDrivers);
    }

    /// <summary>Runs <paramref name="work"/> for each owner on a thread of its own, all released at once (threads, not pool tasks: a barrier on a 2-CPU pool would wait for thread injection).</summary>
    private static void OnThreads(DriverOwner[] owners, Action<DriverOwner> work)
    {
        using var start = new Barrier(owners.Length);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = owners.Select(o => new Thread(() =>
        {
            start.SignalAndWait();
            try { work(o); }
            catch (Exception ex) { errors.Enqueue(ex); } // reported below, on the test's thread
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Patience)));
        Assert.Empty(errors);
    }

    /// <summary>Opens a port, round-trips once, closes it, and returns only a weak reference to its driver's context.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> UseOnce(DriverLoader loader)
    {
        var (port, context) = OpenWatched(loader, "echo");
        Assert.Equal("1", Version(port));
        Assert.Equal("once", await Echo(port, "once"));
        await port.Completion.WaitAsync(Patience);
        return context;
    }

    /// <summary>Opens ports kept open (subscribed, so reading); their subscriptions, disposed, close them and let go of them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Task[] Completions, System.Reactive.Disposables.CompositeDisposable Ports) OpenPorts(DriverLoader loader, int count)
    {
        var completions = new Task[count];
        var subscriptions = new System.Reactive.Disposables.CompositeDisposable();
        for (int i = 0; i < count; i++)
        {
            var port = loader.Driver("echo").Open();
            subscriptions.Add(port.Output.Subscribe(_ => { }, _ => { }));
            completions[i] = port.Completion;
        }
        return (completions, subscriptions);
    }
}

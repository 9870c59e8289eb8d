using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Drivers;
using static ReactivePorts.Tests.Loading.LoadingKit;

namespace ReactivePorts.Tests.Loading;

/// <summary>Loading, reference counts, errors, permanent drivers, monitors and info (erl_ddll's try_load, info, format_error).</summary>
public sealed class DriverLoadTests
{
    [Fact(Timeout = 30000)]
    public async Task TryLoad_EchoV1_LoadsIntoCollectibleContextAndPortsEchoThroughTheirPipe()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");

        var result = owner.TryLoad(V1, "echo");

        Assert.Equal(DriverStatus.Loaded, result.Status);
        Assert.Null(result.Error);
        var (echo, version) = await RoundTrip(loader, "echo", "hello over a pipe");
        Assert.Equal("hello over a pipe", echo);
        Assert.Equal("1", version);
        var (port, _) = OpenWatched(loader, "echo"); // asserts a collectible, non-default context
        await port.CloseAsync();
        Assert.False(PluginInDefaultContext());
        var info = loader.GetInfo("echo");
        Assert.Equal(DriverState.Loaded, info.State);
        Assert.Equal(Path.GetFullPath(V1), info.Path);
        Assert.Contains("Version=1.0.0.0", info.AssemblyName);
        Assert.False(info.IsLinkedIn);
        Assert.Equal([new DriverOwnerCount(owner, 1)], info.Owners);
        Assert.Contains("echo", loader.LoadedDrivers);
        Assert.Contains("spawn", loader.LoadedDrivers);
    }

    [Fact]
    public void TryLoad_AgainBySameAndOtherOwners_AlreadyLoadedAndCountedPerOwner()
    {
        var loader = new DriverLoader();
        using var a = loader.CreateOwner("a");
        using var b = loader.CreateOwner("b");

        Assert.Equal(DriverStatus.Loaded, a.TryLoad(V1, "echo").Status);
        Assert.Equal(DriverStatus.AlreadyLoaded, a.TryLoad(V1, "echo").Status);
        Assert.Equal(DriverStatus.AlreadyLoaded, b.TryLoad(V1, "echo").Status);

        var owners = loader.GetInfo("echo").Owners.ToDictionary(o => o.Owner, o => o.Count);
        Assert.Equal(2, owners[a]);
        Assert.Equal(1, owners[b]);
        Assert.Equal(DriverStatus.PendingProcess, a.TryUnload("echo").Status);
        Assert.Equal(DriverStatus.PendingProcess, a.TryUnload("echo").Status);
        Assert.Equal(DriverError.NotLoadedByThisOwner, a.TryUnload("echo").Error!.Error);
        Assert.Equal([new DriverOwnerCount(b, 1)], loader.GetInfo("echo").Owners);
    }

    [Fact]
    public void TryLoad_FromOtherPathOrWithOtherOptions_Inconsistent()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();

        var otherPath = owner.TryLoad(V2, "echo");
        var otherOptions = owner.TryLoad(V1, "echo", new DriverLoadOptions { KillPorts = true });

        Assert.Equal(DriverError.Inconsistent, otherPath.Error!.Error);
        Assert.Contains(Path.GetFullPath(V1), otherPath.Error.Message);
        Assert.Equal(DriverError.Inconsistent, otherOptions.Error!.Error);
        Assert.Equal([new DriverOwnerCount(owner, 1)], loader.GetInfo("echo").Owners);
    }

    public static TheoryData<string, DriverError> BadDrivers => new()
    {
        { "nope", DriverError.DriverNotFound },
        { "misnamed", DriverError.NameMismatch },
        { "old-api", DriverError.IncorrectApiVersion },
        { "newer-api", DriverError.IncorrectApiVersion },
        { "throwing", DriverError.InitFailed },
        { "not-a-driver", DriverError.InvalidDriver },
    };

    [Theory]
    [MemberData(nameof(BadDrivers))]
    public void TryLoad_BadDriver_SpecificErrorAndNothingLoaded(string name, DriverError expected)
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");

        var result = owner.TryLoad(V1, name);

        Assert.Equal(DriverStatus.Failed, result.Status);
        Assert.Equal(expected, result.Error!.Error);
        Assert.Equal(name, result.Error.DriverName);
        Assert.Contains($"'{name}'", result.Error.Message);
        Assert.Contains(DriverLoader.FormatError(expected), result.Error.Message);
        Assert.DoesNotContain(name, loader.LoadedDrivers);
        Assert.Throws<DriverLoadException>(() => result.ThrowIfFailed());
        if (expected == DriverError.InitFailed) Assert.Equal("init failed on purpose", Assert.IsType<InvalidOperationException>(result.Error.InnerException).Message);
        Assert.Equal(DriverStatus.Loaded, owner.TryLoad(V1, "echo").Status); // the host goes on
    }

    [Fact]
    public void TryLoad_MissingFileDirectoryGarbageOrBuiltIn_SpecificErrors()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        string garbage = Garbage();
        try
        {
            Assert.Equal(DriverError.FileNotFound, owner.TryLoad("/nonexistent/EchoDriver.dll", "echo").Error!.Error);
            Assert.Equal(DriverError.FileNotFound, owner.TryLoad(AppContext.BaseDirectory, "echo").Error!.Error);
            var notAssembly = owner.TryLoad(garbage, "echo").Error!;
            Assert.Equal(DriverError.NotAnAssembly, notAssembly.Error);
            Assert.Equal(garbage, notAssembly.Path);
            Assert.Equal(DriverError.LinkedInDriver, owner.TryLoad(V1, "spawn").Error!.Error);
            Assert.Equal(DriverError.LinkedInDriver, owner.TryUnload("fd").Error!.Error);
            Assert.Equal(DriverError.NotLoaded, owner.TryUnload("echo").Error!.Error);
            Assert.Equal(DriverError.NotLoaded, owner.TryLoad(V1, "echo", new DriverLoadOptions { Reload = DriverPending.PendingDriver }).Error!.Error);
            Assert.Equal(["fd", "spawn", "vanilla"], loader.LoadedDrivers);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var loader = new DriverLoader();
        var owner = loader.CreateOwner("app");
        Assert.Throws<ArgumentException>(() => owner.TryLoad("", "echo"));
        Assert.Throws<ArgumentException>(() => owner.TryLoad(V1, ""));
        Assert.Throws<ArgumentException>(() => owner.TryLoad(V1, "echo", new DriverLoadOptions { Monitor = (DriverPending)9 }));
        Assert.Throws<ArgumentException>(() => owner.Monitor("echo", (DriverMonitorKind)9));
        Assert.Throws<ArgumentException>(() => loader.CreateOwner(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DriverLoader(TimeSpan.FromSeconds(-1)));
        Assert.Throws<DriverLoadException>(() => loader.GetInfo("echo"));
        owner.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owner.TryLoad(V1, "echo"));
        Assert.Throws<ObjectDisposedException>(() => owner.TryUnload("echo"));
    }

    [Fact]
    public void FormatError_EveryError_IsASentence()
    {
        foreach (var error in Enum.GetValues<DriverError>())
            Assert.DoesNotContain("unknown", DriverLoader.FormatError(error));
    }

    [Fact(Timeout = 30000)]
    public async Task Driver_NotLoaded_OpenThrowsAndSubscribeReportsError()
    {
        var loader = new DriverLoader();

        var thrown = Assert.Throws<DriverLoadException>(() => loader.Driver("echo").Open());
        var reported = await Assert.ThrowsAsync<DriverLoadException>(() => loader.Driver("echo").FirstAsync().ToTask().WaitAsync(Patience));

        Assert.Equal(DriverError.NotLoaded, thrown.Error);
        Assert.Equal(DriverError.NotLoaded, reported.Error);
    }

    [Fact(Timeout = 30000)]
    public async Task PermanentDriver_CannotBeUnloadedOrReloaded_HasNoOwners_AndWorks()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");

        Assert.Equal(DriverStatus.Loaded, owner.TryLoad(V1, "keeper").Status);

        var info = loader.GetInfo("keeper");
        Assert.Equal(DriverState.Permanent, info.State);
        Assert.True(info.IsPermanent);
        Assert.Empty(info.Owners);
        Assert.Equal(DriverError.Permanent, owner.TryUnload("keeper").Error!.Error);
        Assert.Equal(DriverError.Permanent, owner.TryLoad(V1, "keeper").Error!.Error);
        Assert.Equal(DriverError.Permanent, owner.TryLoad(V2, "keeper", new DriverLoadOptions { Reload = DriverPending.Pending }).Error!.Error);
        Assert.Equal(DriverEventReason.Permanent, (await Event(owner.Monitor("keeper", DriverMonitorKind.Unloaded))).Reason);
        Assert.Equal(DriverEventReason.Permanent, (await Event(owner.Monitor("keeper", DriverMonitorKind.Loaded))).Reason);
        owner.Dispose();
        Assert.Equal("kept", (await RoundTrip(loader, "keeper", "kept")).Echo);
        Assert.Equal(DriverState.Permanent, loader.GetInfo("keeper").State);
    }

    [Fact(Timeout = 30000)]
    public async Task Monitor_AnswerKnownNow_FiresAtOnce()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");

        var notLoaded = await Event(owner.Monitor("echo", DriverMonitorKind.Loaded));
        var builtIn = await Event(owner.Monitor("spawn", DriverMonitorKind.Unloaded));
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var loaded = await Event(owner.Monitor("echo", DriverMonitorKind.Loaded));

        Assert.Equal(new DriverEvent("echo", DriverEventReason.Unloaded), notLoaded);
        Assert.False(notLoaded.IsUp);
        Assert.Equal(new DriverEvent("spawn", DriverEventReason.Permanent), builtIn);
        Assert.Equal(new DriverEvent("echo", DriverEventReason.Loaded), loaded);
        Assert.True(loaded.IsUp);
        Assert.Equal(DriverState.LinkedIn, loader.GetInfo("spawn").State);
        Assert.Null(loader.GetInfo("spawn").PortCount);
    }

    [Fact(Timeout = 30000)]
    public async Task Monitor_Disposed_CompletesWithoutEventAndLeavesAwaitingList()
    {
        var loader = new DriverLoader();
        using var owner = loader.CreateOwner("app");
        owner.TryLoad(V1, "echo").ThrowIfFailed();
        var monitor = owner.Monitor("echo", DriverMonitorKind.Unloaded);
        Assert.Equal([new DriverOwnerCount(owner, 1)], loader.GetInfo("echo").AwaitingUnload);

        monitor.Dispose();

        Assert.Empty(await monitor.ToList().ToTask().WaitAsync(Patience));
        Assert.Empty(loader.GetInfo("echo").AwaitingUnload);
    }
}

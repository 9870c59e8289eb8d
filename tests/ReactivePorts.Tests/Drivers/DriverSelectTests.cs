using System.Runtime.InteropServices;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Selecting a descriptor epoll cannot watch fails in the driver's own call, even while reading is paused.</summary>
public sealed class DriverSelectTests : IDisposable
{
    private readonly PollScheduler _loop = new();
    private readonly string _file = Path.GetTempFileName();

    public void Dispose()
    {
        _loop.Dispose();
        File.Delete(_file);
    }

    /// <summary>Selects a regular file for reading at start, before anyone subscribed (reading paused).</summary>
    private sealed class RegularFileDriver(SafeHandle file) : PortDriver
    {
        public override string Name => "regular-file";

        protected override void OnStart() => Context.Select(file, PollEvents.Readable);
    }

    [Fact(Timeout = 15000)]
    public async Task Select_RegularFileWhileReadingIsPaused_FailsTheStartWithEperm()
    {
        using var file = File.OpenHandle(_file);
        var spec = Port.Driver(() => new RegularFileDriver(file)).WithScheduler(_loop);
        var error = await Assert.ThrowsAsync<IOException>(() => spec.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("EPERM", error.Message);
    }
}

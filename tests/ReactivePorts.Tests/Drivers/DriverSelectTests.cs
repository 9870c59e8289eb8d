using System.Runtime.InteropServices;
using ReactivePorts.Drivers;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

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

    /// <summary>Asks for writability of a pipe's write end, and drops it again at the first readiness (Erlang's driver_select on/off).</summary>
    private sealed class InterestDriver(SafeHandle pipeWrite) : PortDriver
    {
        public int Writables;

        public TaskCompletionSource FirstWritable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DriverContext Handle => Context;

        public override string Name => "interest";

        protected override void OnStart() => Context.Select(pipeWrite, PollEvents.None);

        protected override void OnWritable(SafeHandle handle)
        {
            Writables++;
            FirstWritable.TrySetResult();
            Context.ChangeInterest(handle, add: PollEvents.None, remove: PollEvents.Writable);
        }

        protected override void OnStopSelect(SafeHandle handle) { } // the test owns the pipe
    }

    [Fact(Timeout = 15000)]
    public async Task ChangeInterest_AddedThenRemoved_OneReadinessOnly_AndRemovingFromAnUnselectedHandleIsNothing()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            var driver = new InterestDriver(write);
            await using var port = await Port.Driver(() => driver).WithScheduler(_loop).OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await _loop.Barrier();
            Assert.Equal(0, await _loop.OnLoop(() => driver.Writables)); // selected with no interest: silent
            await _loop.OnLoop(() => driver.Handle.ChangeInterest(write, add: PollEvents.Writable, remove: PollEvents.None));
            await driver.FirstWritable.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await _loop.Barrier();
            // An empty pipe stays writable (level-triggered): only the removal keeps it from ticking again.
            Assert.Equal(1, await _loop.OnLoop(() => driver.Writables));
            await _loop.OnLoop(() => driver.Handle.ChangeInterest(read, add: PollEvents.None, remove: PollEvents.Readable)); // not selected: stays so
            Assert.Throws<ArgumentNullException>(() => driver.Handle.ChangeInterest(null!, PollEvents.Readable, PollEvents.None));
        }
    }
}

using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Erlang's busy port to the byte, and the blocking write beside it.</summary>
public sealed class PortBusyLimitsTests
{
    /// <summary>A child that never reads, its pipe filled exactly (nothing queued), then 1000-byte non-suspending writes until one is refused.</summary>
    internal static async Task<int> SuccessesOnAFullPipe(Func<SpawnSpec, SpawnSpec> limits)
    {
        await using var scope = new PortScope();
        var port = scope.Open(limits(Sh("exec sleep 30")));
        Assert.True(port.TryWrite(new byte[64 * 1024])); // the empty pipe takes it whole
        await port.Scheduler.Barrier();
        Assert.Equal(0, port.GetInfo().QueueSize);
        int successes = 0;
        while (successes < 100 && port.TryWrite(new byte[1000])) successes++;
        Assert.Equal(successes * 1000L, port.GetInfo().QueueSize);
        Assert.True(port.GetInfo().IsBusy);
        return successes;
    }

    [Fact(Timeout = 20000)]
    public async Task TryWrite_DefaultLimits_ExactlyNineThenBusy() => Assert.Equal(9, await SuccessesOnAFullPipe(s => s));

    [Theory(Timeout = 20000)]
    [InlineData(1024, 2048, 3)]
    [InlineData(5000, 6000, 6)]
    [InlineData(4000, 6000, 6)]
    public async Task TryWrite_WithBusyLimits_BusyFromTheWriteThatReachesHigh(long low, long high, int expected) =>
        Assert.Equal(expected, await SuccessesOnAFullPipe(s => s.WithBusyLimits(low, high)));

    /// <summary>Lets a child gated on a FIFO (<c>read -r go &lt; fifo</c>) go on: opening the FIFO for writing waits for the child to open it.</summary>
    private static Task Release(string fifo) => File.WriteAllTextAsync(fifo, "go\n").WaitAsync(TestTimeout);

    [Fact(Timeout = 20000)]
    public async Task Busy_ReadyAgainOnlyBelowTheLowLimit()
    {
        using var dir = new TempDir("rp-busy-");
        string fifo = await MakeFifo(dir.Path);
        await using var scope = new PortScope();
        // Held until released; then it reads two pages (8192 bytes; a pipe is writable again only
        // when whole pages are free) and no more: the queue goes from 12000 to 3808, under the low limit.
        var port = scope.Open(Sh("read -r go < \"$0\"; dd bs=8192 count=1 of=/dev/null 2>/dev/null; exec sleep 30", fifo).WithBusyLimits(8000, 12000));
        Assert.True(port.TryWrite(new byte[64 * 1024])); // fills the pipe
        await port.Scheduler.Barrier();
        for (int i = 0; i < 12; i++) Assert.True(port.TryWrite(new byte[1000]));
        Assert.True(port.GetInfo().IsBusy);
        await port.Scheduler.Barrier(); // the busy state is published: Busy starts with it
        var ready = port.Busy.Where(busy => !busy).FirstAsync().ToTask();
        await Release(fifo);
        var settled = await Task.WhenAny(ready, Task.Delay(TestTimeout));
        var info = port.GetInfo();
        Assert.True(settled == ready, $"not ready again: queue {info.QueueSize}, busy {info.IsBusy}, written {info.BytesWritten}");
        Assert.InRange(info.QueueSize, 0, 8000 - 1);
    }

    [Fact(Timeout = 20000)]
    public async Task Write_Blocking_WaitsWhileBusy_ReleasedByTheChildReading()
    {
        using var dir = new TempDir("rp-busy-");
        string fifo = await MakeFifo(dir.Path);
        await using var scope = new PortScope();
        // Held until released, then reads everything.
        var port = scope.Open(Sh("read -r go < \"$0\"; exec cat >/dev/null", fifo).WithPipeSize(4096));
        port.WriteForced(new byte[20_000]); // busy; the child does not read yet
        Assert.True(port.GetInfo().IsBusy);
        var blocked = Task.Run(() => port.Write(new byte[100]));
        await port.Scheduler.Barrier();
        Assert.False(blocked.IsCompleted); // held back while busy
        // Release the child: it reads everything, the port is ready, the write goes in.
        await Release(fifo);
        await blocked.WaitAsync(TestTimeout);
    }

    [Fact(Timeout = 20000)]
    public async Task Write_Blocking_ReleasedWithObjectDisposedWhenThePortCloses()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096));
        port.WriteForced(new byte[20_000]);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = Task.Run(() => { started.SetResult(); port.Write(new byte[100]); });
        await started.Task;
        await port.Scheduler.Barrier();
        _ = port.CloseAsync(TimeSpan.FromMilliseconds(10));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => blocked.WaitAsync(TestTimeout));
    }

    [Fact(Timeout = 20000)]
    public async Task Write_Blocking_OnALoopThread_ThrowsClearly()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec cat >/dev/null"));
        var error = await port.Scheduler.OnLoop(() => Record.Exception(() => port.Write(new byte[1])));
        Assert.Contains("poll loop", Assert.IsType<InvalidOperationException>(error).Message);
    }
}

using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Close returns control at once and flushes in the background; abort does not flush; waiting writers are released at once.</summary>
public sealed class PortClosingTests
{
    [Fact(Timeout = 20000)]
    public async Task CloseAsync_NeverReadingChild_OutputEndsAtOnce_FlushGoesOnUntilTheTimeout()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096));
        var recorder = new PortRecorder(port);
        port.WriteForced(new byte[20_000]);
        await port.Scheduler.Barrier();
        int pipe = ((SpawnDriver)port.Core.Driver).InputPipeSize;
        var close = port.CloseAsync(TimeSpan.FromSeconds(30));
        // The output and events complete now, while the queue is still being offered to the child.
        await recorder.Completed;
        Assert.Equal(["Closed"], recorder.Kinds);
        Assert.False(close.IsCompleted);
        Assert.Equal(PortState.Closing, port.GetInfo().State);
        Assert.Equal(20_000 - pipe, port.GetInfo().QueueSize);
        // The child goes: the flush ends, and close tells how much was never written.
        port.KillAfterClose();
        Assert.Equal(20_000 - pipe, await close.WaitAsync(TestTimeout));
        Assert.Equal(PortState.Closed, port.GetInfo().State);
    }

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_ReadingChild_FlushesEverything_AfterTheOutputEnded()
    {
        string dir = Directory.CreateTempSubdirectory("rp-flush-").FullName;
        await using var scope = new PortScope();
        try
        {
            string count = Path.Combine(dir, "count");
            // Reads slowly: the flush outlives the port's output.
            var port = scope.Open(Sh("sleep 0.2; wc -c > \"$0\"", count));
            var recorder = new PortRecorder(port);
            for (int i = 0; i < 8; i++) port.WriteForced(new byte[64 * 1024]);
            var close = port.CloseAsync();
            await recorder.Completed;
            Assert.False(close.IsCompleted);
            Assert.Equal(0, await close.WaitAsync(TestTimeout));
            Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
            Assert.Equal((8 * 64 * 1024).ToString(), File.ReadAllText(count).Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_WritersWaitingOnABusyPort_AreReleasedAtOnce()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096).WithFlushTimeout(TimeSpan.FromSeconds(30)));
        port.WriteForced(new byte[20_000]); // busy
        var waiting = port.WriteAsync(new byte[10]).AsTask();
        Assert.False(waiting.IsCompleted);
        _ = port.CloseAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TestTimeout));
        Assert.Equal(PortState.Closing, port.GetInfo().State); // still flushing
    }

    [Fact(Timeout = 20000)]
    public async Task AbortAsync_WithReason_NoFlush_SubscribersGetTheReason()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096));
        var recorder = new PortRecorder(port);
        port.WriteForced(new byte[20_000]);
        await port.Scheduler.Barrier();
        int pipe = ((SpawnDriver)port.Core.Driver).InputPipeSize;
        long unwritten = await port.AbortAsync("shutdown").WaitAsync(TestTimeout);
        Assert.Equal(20_000 - pipe, unwritten);
        await recorder.Completed;
        var error = Assert.IsType<PortAbortedException>(recorder.Error);
        Assert.Equal("shutdown", error.Reason);
        Assert.Equal(PortState.Closed, port.GetInfo().State);
        Assert.True(IsAlive(port.OsPid!.Value)); // aborting a port does not kill its child
        await Assert.ThrowsAsync<PortAbortedException>(() => port.Completion);
    }

    [Theory(Timeout = 20000)]
    [InlineData(null, "killed")]
    [InlineData("normal", null)]
    public async Task AbortAsync_DefaultKilled_NormalCompletes(string? reason, string? expected)
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30"));
        var recorder = new PortRecorder(port);
        await (reason is null ? port.AbortAsync() : port.AbortAsync(reason)).WaitAsync(TestTimeout);
        await recorder.Completed;
        Assert.Equal(expected, (recorder.Error as PortAbortedException)?.Reason);
        if (expected is null) Assert.Null(recorder.Error);
    }
}

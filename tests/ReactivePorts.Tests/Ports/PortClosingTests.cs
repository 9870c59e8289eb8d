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
        using var dir = new TempDir("rp-flush-");
        await using var scope = new PortScope();
        string count = dir.File("count");
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

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_WithKillOnClose_KillsOnlyAfterTheFlush()
    {
        using var dir = new TempDir("rp-kill-");
        await using var scope = new PortScope();
        string count = dir.File("count");
        // Reads late, counts everything, then lingers: kill-on-close must wait for the flush.
        var port = scope.Open(Sh("sleep 0.3; wc -c > \"$0\"; exec sleep 30", count).WithKillOnClose());
        port.WriteForced(new byte[200_000]);
        Assert.Equal(0, await port.CloseAsync().WaitAsync(TestTimeout));
        Assert.Equal(9, (await port.Exit.WaitAsync(TestTimeout)).Signal);
        Assert.Equal("200000", File.ReadAllText(count).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task CompleteInput_WithAWriterWaitingOnABusyPort_TheWaitingWriteGoesInBeforeTheEnd()
    {
        using var dir = new TempDir("rp-half-");
        await using var scope = new PortScope();
        string fifo = await MakeFifo(dir.Path), count = dir.File("count");
        var port = scope.Open(Sh("read -r go < \"$0\"; wc -c > \"$1\"", fifo, count).WithPipeSize(4096));
        port.WriteForced(new byte[20_000]); // busy
        var waiting = port.WriteAsync(new byte[10]).AsTask();
        Assert.False(waiting.IsCompleted);
        port.CompleteInput();
        await File.WriteAllTextAsync(fifo, "go\n").WaitAsync(TestTimeout);
        await waiting.WaitAsync(TestTimeout);
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
        Assert.Equal("20010", File.ReadAllText(count).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_InfiniteFlushTimeout_WaitsForTheChild_DropsNothing()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("sleep 0.3; exec cat >/dev/null").WithFlushTimeout(Timeout.InfiniteTimeSpan));
        port.WriteForced(new byte[200_000]);
        Assert.Equal(0, await port.CloseAsync(TimeSpan.MaxValue).WaitAsync(TestTimeout));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sh("true").WithFlushTimeout(TimeSpan.FromSeconds(-2)));
    }

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_LoopDisposedDuringTheFlush_CompletesWithTheBytesNeverWritten()
    {
        await using var scope = new PortScope();
        var loop = new ReactivePorts.Polling.PollScheduler();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096).WithScheduler(loop));
        port.WriteForced(new byte[20_000]);
        await loop.Barrier();
        int pipe = ((SpawnDriver)port.Core.Driver).InputPipeSize;
        var close = port.CloseAsync(TimeSpan.FromSeconds(30));
        await loop.Barrier();
        loop.Dispose();
        Assert.Equal(20_000 - pipe, await close.WaitAsync(TestTimeout));
    }
}

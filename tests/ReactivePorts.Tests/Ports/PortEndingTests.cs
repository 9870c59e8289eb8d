using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Ending a port: close and flush, signals, graceful stop, groups, grandchildren, kill options, eof mode.</summary>
public sealed class PortEndingTests
{
    [Fact(Timeout = 20000)]
    public async Task CloseAsync_FlushesQueuedInputFirst_ThenClosesThePipes_ChildNotKilled()
    {
        string dir = Directory.CreateTempSubdirectory("rp-flush-").FullName;
        await using var scope = new PortScope();
        try
        {
            string count = Path.Combine(dir, "count");
            var port = scope.Open(Sh("wc -c > \"$0\"", count));
            for (int i = 0; i < 16; i++) port.WriteForced(new byte[64 * 1024]);
            Assert.Equal(0, await port.CloseAsync().WaitAsync(TestTimeout));
            var status = await port.Exit.WaitAsync(TestTimeout);
            Assert.Equal(0, status.ExitCode); // it saw end of file and finished on its own
            Assert.Equal((16 * 64 * 1024).ToString(), File.ReadAllText(count).Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task CloseAsync_NeverReadingChild_DropsTheRestAfterTheTimeout_ReportsDroppedBytes()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30"));
        var recorder = new PortRecorder(port);
        port.WriteForced(new byte[100_000]);
        await port.Scheduler.Barrier();
        int pipe = ((SpawnDriver)port.Core.Driver).InputPipeSize;
        long dropped = await port.CloseAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(TestTimeout);
        Assert.Equal(100_000 - pipe, dropped);
        await recorder.Completed;
        Assert.Equal(["Closed"], recorder.Kinds);
        Assert.Equal(100_000 - pipe, await port.CloseAsync()); // closing again: a no-op that reports the same
        Assert.True(IsAlive(port.OsPid!.Value)); // closing never kills
    }

    [Fact(Timeout = 20000)]
    public async Task Signal_Term_EndsTheChild_StatusSaysWhich()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30"));
        var recorder = new PortRecorder(port);
        Assert.True(port.Signal(Libc.SIGTERM));
        await recorder.Completed;
        var status = await port.Exit;
        Assert.Equal((15, 143), (status.Signal, status.ErlangStatus));
        Assert.False(port.Signal(Libc.SIGTERM)); // reaped: nothing to signal, no error
        port.Kill(); // also quiet
    }

    [Fact(Timeout = 20000)]
    public async Task StopAsync_CooperativeChild_EndsWithTheSignal()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30"));
        var status = await port.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(TestTimeout);
        Assert.Equal(15, status.Signal);
    }

    [Fact(Timeout = 20000)]
    public async Task StopAsync_ChildIgnoringTheSignal_IsKilledAfterTheGrace()
    {
        await using var scope = new PortScope();
        // An ignored signal stays ignored across exec.
        var port = scope.Open(Sh("trap '' TERM; echo ready; exec sleep 30").WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        await recorder.FirstPacket;
        var status = await port.StopAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(TestTimeout);
        Assert.Equal(9, status.Signal);
    }

    [Fact(Timeout = 20000)]
    public async Task SignalGroup_OwnProcessGroup_ReachesTheGrandchildren()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("sleep 30 & echo $! $(cut -d' ' -f5 /proc/$$/stat); wait").WithNewProcessGroup().WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        var fields = Text((await recorder.FirstPacket).Payload).Split(' ');
        int grandchild = int.Parse(fields[0]);
        scope.AddPid(grandchild);
        Assert.Equal(port.OsPid, int.Parse(fields[1])); // the child leads its own group
        Assert.True(port.SignalGroup(Libc.SIGTERM));
        Assert.True(WaitForProcessExit(grandchild, TestTimeout));
        await recorder.Completed;
        Assert.Equal(15, (await port.Exit).Signal);

        var withoutGroup = scope.Open(Sh("exec sleep 30"));
        Assert.Throws<InvalidOperationException>(() => withoutGroup.SignalGroup(Libc.SIGTERM));
    }

    [Fact(Timeout = 20000)]
    public async Task Exit_GrandchildHoldsOutput_ByDefaultTheExitWaitsForEof()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("sleep 30 & echo $!; exit 0").WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        int grandchild = int.Parse(Text((await recorder.FirstPacket).Payload));
        scope.AddPid(grandchild);
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode); // reaped…
        await port.Scheduler.Barrier();
        Assert.Empty(recorder.Kinds); // …but no eof, no exit event, no completion while the output is held
        Libc.Kill(grandchild, Libc.SIGKILL);
        await recorder.Completed;
        Assert.Equal(["Exited(exit code 0)", "Closed"], recorder.Kinds);
    }

    [Fact(Timeout = 20000)]
    public async Task Exit_GrandchildHoldsOutput_WithoutWaitingForEof_EndsAfterTheDrainTimeout()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("sleep 30 & echo $!; printf unterminated; exit 0")
            .WithFraming(FrameFormat.Line()).WithExitWaitingForEof(false, TimeSpan.FromMilliseconds(200)));
        var recorder = new PortRecorder(port);
        int grandchild = int.Parse(Text((await recorder.FirstPacket).Payload));
        scope.AddPid(grandchild);
        await recorder.Completed;
        Assert.True(IsAlive(grandchild)); // ended although the grandchild still holds the output
        Assert.Equal(["Exited(exit code 0)", "Closed"], recorder.Kinds);
        Assert.Equal("unterminated", Text(recorder.Packets[^1].Payload));
    }

    [Fact(Timeout = 20000)]
    public async Task WithKillOnClose_ClosingKillsTheChild_AfterTheFlush()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithKillOnClose());
        await port.DisposeAsync();
        Assert.Equal(9, (await port.Exit.WaitAsync(TestTimeout)).Signal);

        // Also when the subscription of a cold spec is disposed.
        var pid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = Sh("echo $$; exec sleep 30").WithKillOnClose().WithFraming(FrameFormat.Line())
            .Subscribe(p => pid.TrySetResult(int.Parse(Text(p.Payload))));
        int child = await pid.Task.WaitAsync(TestTimeout);
        scope.AddPid(child);
        subscription.Dispose();
        Assert.True(WaitForProcessExit(child, TestTimeout));
    }

    [Fact(Timeout = 20000)]
    public async Task WithKillOnApplicationExit_KillsOnlyThosePortsChildren()
    {
        await using var scope = new PortScope();
        var marked = scope.Open(Sh("exec sleep 30").WithKillOnApplicationExit());
        var unmarked = scope.Open(Sh("exec sleep 30"));
        ChildRegistry.KillAll(); // what the ProcessExit handler runs
        Assert.Equal(9, (await marked.Exit.WaitAsync(TestTimeout)).Signal);
        Assert.True(IsAlive(unmarked.OsPid!.Value));
    }

    [Fact(Timeout = 20000)]
    public async Task WithEofMode_NoExitStatus_PortStaysOpenAndWritableAfterEof_UntilClosed()
    {
        string dir = Directory.CreateTempSubdirectory("rp-eof-").FullName;
        await using var scope = new PortScope();
        try
        {
            string file = Path.Combine(dir, "got");
            // The child closes its output first, then keeps reading its input.
            var port = scope.Open(Sh("echo bye; exec cat > \"$0\"", file).WithEofMode().WithExitStatus(false));
            var recorder = new PortRecorder(port);
            await recorder.Eof;
            await port.WriteAsync(Bytes("after eof"));
            port.CompleteInput();
            await port.Exit.WaitAsync(TestTimeout);
            await port.Scheduler.Barrier();
            Assert.False(recorder.IsCompleted); // eof is in, the port is still open
            Assert.True(port.GetInfo().IsOpen);
            await port.CloseAsync();
            await recorder.Completed;
            Assert.Null(recorder.Error);
            Assert.Equal(["Eof", "Closed"], recorder.Kinds);
            Assert.Equal("after eof", File.ReadAllText(file));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task WithEofMode_ExitStatus_DataThenExitThenEof_PortStaysOpenUntilClosed()
    {
        string dir = Directory.CreateTempSubdirectory("rp-eof-").FullName;
        await using var scope = new PortScope();
        try
        {
            string file = Path.Combine(dir, "got");
            // Output closed first: eof waits for the exit status (Erlang's order), and the input still works.
            var port = scope.Open(Sh("echo bye; exec cat > \"$0\"", file).WithEofMode());
            var recorder = new PortRecorder(port);
            await port.WriteAsync(Bytes("before exit"));
            port.CompleteInput();
            await recorder.Eof;
            await port.Scheduler.Barrier();
            Assert.False(recorder.IsCompleted);
            Assert.Equal(PortState.Open, port.GetInfo().State);
            // The child is gone, and its input with it: writes fail at once.
            Assert.Contains("EPIPE", Assert.Throws<IOException>(() => port.TryWrite(Bytes("x"))).Message);
            await port.CloseAsync();
            await recorder.Completed;
            Assert.Equal(["bye"], recorder.Packets.Select(p => Text(p.Payload).Trim()));
            Assert.Equal(["Exited(exit code 0)", "Eof", "Closed"], recorder.Kinds);
            Assert.Equal("before exit", File.ReadAllText(file));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

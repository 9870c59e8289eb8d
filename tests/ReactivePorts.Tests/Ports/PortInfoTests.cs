using ReactivePorts.Drivers;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Port info, control operations and the run-to-completion helper.</summary>
public sealed class PortInfoTests
{
    [Fact(Timeout = 20000)]
    public async Task GetInfo_ReportsPidCountersQueueBusyStateAndName()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(port);
        await port.WriteAsync(Bytes("hello\n"));
        await recorder.FirstPacket;
        var info = port.GetInfo();
        Assert.Equal(("/bin/cat", "spawn", port.OsPid, 6L, 6L, 0L, false, true, (ExitStatus?)null),
            (info.Name, info.DriverName, info.OsPid, info.BytesRead, info.BytesWritten, info.QueueSize, info.IsBusy, info.IsOpen, info.ExitStatus));
        Assert.True(info.OsPid > 0);
        port.CompleteInput();
        await recorder.Completed;
        info = port.GetInfo();
        Assert.Equal((false, 0), (info.IsOpen, info.ExitStatus?.ExitCode));
    }

    /// <summary>A driver with one control operation that says where it ran.</summary>
    private sealed class EchoControlDriver : PortDriver
    {
        public override string Name => "echo-control";

        public int? ThreadId { get; private set; }

        protected override byte[] OnControl(int operation, ReadOnlySpan<byte> data)
        {
            if (operation != 7) return base.OnControl(operation, data);
            ThreadId = Environment.CurrentManagedThreadId;
            return [(byte)operation, .. data];
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Control_GoesToTheDriverOnItsLoop_InlineOnTheLoop()
    {
        using var loop = new PollScheduler();
        var driver = new EchoControlDriver();
        var port = new Port(loop, driver, new PortOptions { HasExitStatus = false }, "control");
        port.Start();
        int loopThread = await loop.OnLoop(() => Environment.CurrentManagedThreadId);

        Assert.Equal([7, 1, 2], port.Control(7, [1, 2]));           // from a test thread: posted and waited for
        Assert.Equal(loopThread, driver.ThreadId);
        Assert.Equal([7, 3], await port.ControlAsync(7, new byte[] { 3 }));
        var inline = await loop.OnLoop(() =>
        {
            var reply = port.Control(7, [4]);                          // on the loop: inline, no deadlock
            return reply;
        });
        Assert.Equal([7, 4], inline);
        Assert.Throws<NotSupportedException>(() => port.Control(1, default));
        await Assert.ThrowsAsync<NotSupportedException>(() => port.ControlAsync(1, default));
        Assert.True(port.GetInfo().IsOpen); // an unknown operation does not fail the port

        using var otherLoop = new PollScheduler();
        await Assert.ThrowsAsync<InvalidOperationException>(() => otherLoop.OnLoop(() => port.Control(7, default)));
        await port.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => port.Control(7, default));
    }

    [Fact(Timeout = 20000)]
    public async Task Control_SpawnPort_HasNoOperations()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30"));
        Assert.Throws<NotSupportedException>(() => port.Control(1, default));
    }

    [Fact(Timeout = 20000)]
    public async Task ExecuteBufferedAsync_CollectsOutputErrorAndStatus()
    {
        var result = await Sh("echo out; echo err >&2; exit 6").ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.Equal(("out\n", "err\n", 6), (Text(result.StandardOutput), Text(result.StandardError), result.Status.ExitCode));
    }

    [Fact(Timeout = 20000)]
    public async Task ExecuteBufferedAsync_OverTheCap_ThrowsAndKillsTheChild()
    {
        var error = await Assert.ThrowsAsync<PortOutputLimitException>(() =>
            Sh("exec cat /dev/zero").ExecuteBufferedAsync(maxBytes: 100_000).WaitAsync(TestTimeout));
        Assert.Equal(100_000, error.Limit);
    }
}

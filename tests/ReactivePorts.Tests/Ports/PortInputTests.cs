using ReactivePorts.Polling;
using ReactivePortsPeer;
using System.Reactive.Linq;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>The input as an Rx observer: waiting off the loop, pausing the source on it, half-close, piping.</summary>
public sealed class PortInputTests
{
    [Fact(Timeout = 30000)]
    public async Task Input_OffTheLoop_WaitsWhileBusy_LosesNothing()
    {
        const int total = 2 << 20, chunk = 16 * 1024;
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(port);
        await Task.Run(() =>
        {
            var data = new byte[total];
            FloodPattern.Fill(data, 0);
            for (int i = 0; i < total; i += chunk) port.Input.OnNext(data.AsMemory(i, chunk));
            port.Input.OnCompleted();
        }).WaitAsync(TestTimeout);
        await recorder.Completed;
        Assert.Equal(total, recorder.Bytes.Length);
        Assert.Equal(-1, FloodPattern.FirstMismatch(recorder.Bytes));
        Assert.Equal(0, (await port.Exit).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Input_OnCompleted_ClosesTheChildsInput_OutputKeepsFlowing()
    {
        await using var scope = new PortScope();
        // The child answers only after end of file on its input.
        var port = scope.Open(Sh("wc -c; echo after-eof"));
        var recorder = new PortRecorder(port);
        port.Input.OnNext(Bytes("12345"));
        port.Input.OnCompleted();
        await recorder.Completed;
        Assert.Equal("5\nafter-eof\n", recorder.Text);
        Assert.Throws<InvalidOperationException>(() => port.Input.OnNext(Bytes("late")));
    }

    [Fact(Timeout = 20000)]
    public async Task Input_OnError_ClosesThePort()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(port);
        port.Input.OnError(new InvalidOperationException("upstream failed"));
        await recorder.Completed;
        Assert.False(port.GetInfo().IsOpen);
        // Closing closed cat's input: it ends by itself, not killed.
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Fact(Timeout = 30000)]
    public async Task Input_PipedFromAnotherPort_AllBytesArriveInOrder()
    {
        const int total = 4 << 20;
        await using var scope = new PortScope();
        var source = scope.Open(PeerSpec("flood", total.ToString()));
        var sink = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(sink);
        source.Output.Select(p => p.Payload).Subscribe(sink.Input);
        await recorder.Completed;
        Assert.Equal(total, recorder.Bytes.Length);
        Assert.Equal(-1, FloodPattern.FirstMismatch(recorder.Bytes));
        Assert.Equal((0, 0), ((await source.Exit).ExitCode, (await sink.Exit).ExitCode));
    }

    [Fact(Timeout = 30000)]
    public async Task Input_PipedIntoANeverReadingPort_PausesTheSource_QueueStaysBounded()
    {
        // One loop for both, so the sink's busy state and the source's pause are read in one order
        // (ports opened without a scheduler may land on different default loops).
        using var loop = new PollScheduler();
        await using var scope = new PortScope();
        var source = scope.Open(Sh("exec head -c 8388608 /dev/zero").WithScheduler(loop));
        var sink = scope.Open(Sh("exec sleep 30").WithPipeSize(4096).WithScheduler(loop));
        var busyWhileDelivering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long maxQueue = 0;
        // A packet delivered while the sink is already busy: its OnNext pauses the source.
        source.Output.Do(_ =>
        {
            if (sink.Core.IsBusy) busyWhileDelivering.TrySetResult();
        }).Select(p => p.Payload).Subscribe(p =>
        {
            sink.Input.OnNext(p);
            maxQueue = Math.Max(maxQueue, sink.Core.QueuedBytes);
        });
        await busyWhileDelivering.Task.WaitAsync(TestTimeout);
        await source.Scheduler.Barrier();
        Assert.True(await source.Scheduler.OnLoop(() => source.Core.IsReadingPaused));
        long read = source.GetInfo().BytesRead;
        await source.Scheduler.Barrier();
        Assert.Equal(read, source.GetInfo().BytesRead);
        // Bounded: the high mark plus the packet that crossed it, plus the one that paused the source.
        Assert.True(maxQueue <= 8192 + 2 * 64 * 1024, $"queue reached {maxQueue}");
        Assert.True(read <= 4096 + maxQueue + 64 * 1024, $"{read} bytes read");
        Assert.Equal(4096, ((SpawnDriver)sink.Core.Driver).InputPipeSize);
        Assert.False(source.Exit.IsCompleted);
    }
}

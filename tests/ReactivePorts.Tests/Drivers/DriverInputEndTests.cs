using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Drivers;

/// <summary>The end of the input: OnInputEnd after a half-close, OnFlush when closing with a queue, the flush timeout.</summary>
public sealed class DriverInputEndTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task CompleteInput_AfterEverythingIsWritten_OnInputEndClosesTheSink()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write);
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray(); // more than the pipe: queued first

        await port.WriteAsync(data);
        port.CompleteInput();
        var read = await Task.Run(() => Fds.ReadToEnd(pipe.Read, 5000)).Within(); // end of file: the sink was closed

        Assert.Equal(data, read);
        Assert.True(port.GetInfo().IsOpen); // a half-close: the output would go on
        Assert.True(pipe.Write.IsClosed);
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_WithQueuedInput_CallsOnFlushAndClosesOnceTheQueueIsEmpty()
    {
        var driver = new DelegateDriver
        {
            WhenInput = (ctx, data) => ctx.Enqueue(data),
            WhenFlush = ctx => ctx.SetTimer(TimeSpan.FromMilliseconds(20)),
            WhenTimeout = ctx => ctx.Dequeue(ctx.QueueSize), // "written"
        };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await port.WriteAsync(new byte[100]);

        long dropped = await port.CloseAsync().Within();

        Assert.Equal(0, dropped);
        Assert.Equal(["start", "input:100", "flush", "timeout", "stop"], driver.Log);
        await port.Completion.Within();
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_QueueNeverDrains_DropsItAfterTheFlushTimeout()
    {
        var driver = new DelegateDriver { WhenInput = (ctx, data) => ctx.Enqueue(data) };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await port.WriteAsync(new byte[100]);
        var recorder = new PortRecorder(port);

        long dropped = await port.CloseAsync(TimeSpan.FromMilliseconds(50)).Within();

        Assert.Equal(100, dropped);
        await recorder.Completed.Within();
        Assert.Null(recorder.Error);
        Assert.Equal(["start", "input:100", "flush", "stop"], driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_EmptyQueue_NoFlushCallback()
    {
        var driver = new DelegateDriver { WhenInput = (_, _) => { } };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await port.WriteAsync(new byte[10]);
        await _loop.Barrier();

        Assert.Equal(0, await port.CloseAsync().Within());

        Assert.Equal(["start", "input:10", "stop"], driver.Log);
    }
}

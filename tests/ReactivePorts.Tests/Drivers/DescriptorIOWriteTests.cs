using ReactivePorts.Drivers;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Drivers;

/// <summary>DescriptorIO's writes over real pipes: WriteOrQueue and WriteQueue with a full pipe, EPIPE, Write.</summary>
public sealed class DescriptorIOWriteTests : IDisposable
{
    private const int EPIPE = 32;
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task WriteOrQueue_FullPipe_QueuesAndOnWritableDrainsInOrder()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write);
        await using var port = await DriverTestKit.Spec(_loop, driver).WithoutBusyMarks().OpenAsync().Within();
        var data = Enumerable.Range(0, 256 * 1024).Select(i => (byte)(i % 251)).ToArray();

        for (int i = 0; i < data.Length; i += 32 * 1024) await port.WriteAsync(data.AsMemory(i, 32 * 1024));
        // Once the loop has drained (queued before this), the driver wrote what the pipe took and queued the rest.
        Assert.InRange(await _loop.OnLoop(() => driver.Handle.QueueSize), 1, data.Length - 1);
        Assert.InRange(port.GetInfo().QueueSize, 1, data.Length - 1);

        // Room for a little more: OnWritable writes it from the queue and meets a full pipe again.
        var head = await Task.Run(() => Fds.ReadExactly(pipe.Read, 16 * 1024, 5000)).Within();
        await driver.QueueWouldBlock.Within();
        var rest = await Task.Run(() => Fds.ReadExactly(pipe.Read, data.Length - head.Length, 5000)).Within();

        Assert.Equal(data, head.Concat(rest).ToArray());
        // The reader may have the last bytes before the loop dequeued them: ask the loop after that.
        Assert.Equal(0L, await _loop.OnLoop(() => driver.Handle.QueueSize));
        Assert.StartsWith("WriteQueue:Done", driver.Results[^1]);
        Assert.Equal(0, port.GetInfo().QueueSize);
    }

    [Fact(Timeout = 15000)]
    public async Task WriteOrQueue_ReaderClosed_FailedWithEpipeReportedAsWriteFailure()
    {
        using var pipe = new PipeEnds();
        pipe.Read.Dispose();
        var driver = new PipeDriver(null, pipe.Write);
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var recorder = new PortRecorder(port);

        await port.WriteAsync("lost"u8.ToArray());

        await recorder.WriteFailed.Within();
        Assert.Equal(["WriteOrQueue:Failed:0"], driver.Results);
        var failure = Assert.IsType<PortWriteFailed>(recorder.Events.Single(e => e is PortWriteFailed));
        Assert.Contains("EPIPE", failure.Error.Message);
        await Assert.ThrowsAsync<IOException>(() => port.WriteAsync("more"u8.ToArray()).AsTask());
        Assert.True(port.GetInfo().IsOpen); // a write failure ends the input only
    }

    [Fact(Timeout = 15000)]
    public async Task WriteOrQueue_ReaderClosedAndDriverFails_PortFailsWithIOException()
    {
        using var pipe = new PipeEnds();
        pipe.Read.Dispose();
        var port = await DriverTestKit.OpenAsync(_loop, new PipeDriver(null, pipe.Write) { FailOnWriteError = true });

        await port.WriteAsync("lost"u8.ToArray());

        var error = await Assert.ThrowsAsync<IOException>(() => port.Completion.Within());
        Assert.Equal(EPIPE, error.HResult);
    }

    [Fact(Timeout = 15000)]
    public async Task Write_FullPipeThenClosedReader_WouldBlockThenFailedEpipe()
    {
        using var pipe = new PipeEnds();
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var chunk = new byte[64 * 1024];

        var results = await driver.RunAsync(port, ctx =>
        {
            var seen = new List<IOResult>();
            IOResult r;
            do seen.Add(r = ctx.IO.Write(pipe.Write, chunk));
            while (r.Status == IOStatus.Done);
            return seen;
        });
        pipe.Read.Dispose();
        var broken = await driver.RunAsync(port, ctx => ctx.IO.Write(pipe.Write, chunk));

        Assert.Equal(IOStatus.WouldBlock, results[^1].Status);
        Assert.True(results.Take(results.Count - 1).Sum(r => r.Bytes) > 0);
        Assert.Equal(new IOResult(IOStatus.Failed, 0, EPIPE), broken);
        Assert.Contains("EPIPE", broken.ToException("write").Message);
        Assert.Throws<InvalidOperationException>(() => results[^1].ToException("write"));
    }

    [Fact(Timeout = 15000)]
    public async Task WriteQueue_SegmentsEnqueuedByTheDriver_WrittenInOrderOnceWritable()
    {
        using var pipe = new PipeEnds();
        var done = DriverTestKit.Source<IOResult>();
        var driver = new DelegateDriver { WhenWritable = (ctx, handle) => done.TrySetResult(ctx.IO.WriteQueue(handle)) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx =>
        {
            ctx.Enqueue("world"u8.ToArray());
            ctx.PushFront("hello "u8.ToArray());
            ctx.Enqueue("!"u8.ToArray());
            ctx.Select(pipe.Write, PollEvents.Writable);
        });

        Assert.Equal(new IOResult(IOStatus.Done, 12, 0), await done.Task.Within());
        Assert.Equal("hello world!", PortTestKit.Text(Fds.ReadExactly(pipe.Read, 12, 5000)));
        Assert.Equal(0L, await driver.RunAsync(port, ctx => ctx.QueueSize));
    }
}

using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>The driver queue (Erlang's driver_enq/pushq/peekq/deq/sizeq) and what the port sees of it.</summary>
public sealed class DriverQueueTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private static string Peek(DriverContext ctx)
    {
        var segments = new ReadOnlyMemory<byte>[8];
        int n = ctx.PeekQueue(segments);
        return string.Join("|", segments.Take(n).Select(s => Encoding.ASCII.GetString(s.Span)));
    }

    [Fact(Timeout = 15000)]
    public async Task EnqueuePushFrontDequeue_KeepOrderAndSize()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var steps = await driver.RunAsync(port, ctx =>
        {
            var seen = new List<(string, long)>();
            ctx.Enqueue("bb"u8.ToArray());
            ctx.Enqueue("ccc"u8.ToArray());
            ctx.PushFront("a"u8.ToArray());
            seen.Add((Peek(ctx), ctx.QueueSize));
            ctx.Dequeue(2);                     // all of "a", one byte of "bb"
            seen.Add((Peek(ctx), ctx.QueueSize));
            ctx.Dequeue(4);
            seen.Add((Peek(ctx), ctx.QueueSize));
            return seen;
        });

        Assert.Equal([("a|bb|ccc", 6L), ("b|ccc", 4L), ("", 0L)], steps);
    }

    [Fact(Timeout = 15000)]
    public async Task PeekQueue_SmallDestination_ReturnsTheFrontSegmentsOnly()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var (count, first) = await driver.RunAsync(port, ctx =>
        {
            for (int i = 0; i < 20; i++) ctx.Enqueue(new[] { (byte)i }); // past the queue's first growth
            var one = new ReadOnlyMemory<byte>[1];
            int n = ctx.PeekQueue(one);
            ctx.Dequeue(ctx.QueueSize);
            return (n, one[0].Span[0]);
        });

        Assert.Equal((1, (byte)0), (count, first));
    }

    [Fact(Timeout = 15000)]
    public async Task Dequeue_MoreThanQueued_ThrowsAndKeepsThePortOpen()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => driver.RunAsync(port, ctx =>
        {
            ctx.Enqueue("abc"u8.ToArray());
            ctx.Dequeue(4);
        }));

        Assert.Equal(3L, await driver.RunAsync(port, ctx => ctx.QueueSize));
        Assert.True(port.GetInfo().IsOpen);
        await driver.RunAsync(port, ctx => ctx.Dequeue(3)); // or the close would wait for a flush
    }

    [Fact(Timeout = 15000)]
    public async Task Enqueue_GetInfoQueueSize_SeesTheDriverQueue()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx => ctx.Enqueue(new byte[100]));
        Assert.Equal(100, port.GetInfo().QueueSize);
        await driver.RunAsync(port, ctx => ctx.Dequeue(60));
        Assert.Equal(40, port.GetInfo().QueueSize);
        await driver.RunAsync(port, ctx => ctx.Dequeue(40));
        Assert.Equal(0, port.GetInfo().QueueSize);
    }

    [Fact(Timeout = 15000)]
    public async Task Enqueue_PastTheHighMark_BusyUntilDequeuedBelowTheLowMark()
    {
        var driver = new DelegateDriver { WhenInput = (ctx, data) => ctx.Enqueue(data) };
        await using var port = await DriverTestKit.Spec(_loop, driver).WithBusyLimits(50, 100).OpenAsync().Within();

        await port.WriteAsync(new byte[120]);
        await driver.RunAsync(port, _ => { }); // drained: the driver queued it all
        Assert.True(port.GetInfo().IsBusy);
        var waiting = port.WriteAsync(new byte[10]).AsTask();
        await DriverTestKit.AssertPending(_loop, waiting);

        await driver.RunAsync(port, ctx => ctx.Dequeue(60)); // 60 left: still above the low mark
        await DriverTestKit.AssertPending(_loop, waiting);
        await driver.RunAsync(port, ctx => ctx.Dequeue(20)); // 40 left: ready
        await waiting.Within();
        await driver.RunAsync(port, _ => { });

        Assert.Equal(50L, await driver.RunAsync(port, ctx => ctx.QueueSize));
        Assert.Equal(50, port.GetInfo().QueueSize);
        await driver.RunAsync(port, ctx => ctx.Dequeue(50));
    }

    [Fact(Timeout = 15000)]
    public async Task OnInput_QueuedBytes_StayIntactAfterLaterWrites()
    {
        // The queue keeps what OnInput gave it, although the port reuses its write buffers.
        var driver = new DelegateDriver { WhenInput = (ctx, data) => ctx.Enqueue(data) };
        await using var port = await DriverTestKit.Spec(_loop, driver).WithoutBusyMarks().OpenAsync().Within();

        var expected = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            var payload = Enumerable.Repeat((byte)i, 1000).ToArray();
            expected.AddRange(payload);
            await port.WriteAsync(payload);
        }
        var queued = await driver.RunAsync(port, ctx =>
        {
            var all = new List<byte>();
            var one = new ReadOnlyMemory<byte>[1];
            while (ctx.QueueSize > 0)
            {
                ctx.PeekQueue(one);
                all.AddRange(one[0].ToArray());
                ctx.Dequeue(one[0].Length);
            }
            return all;
        });

        Assert.Equal(expected, queued);
    }
}

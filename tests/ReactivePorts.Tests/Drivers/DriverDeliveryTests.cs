using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Drivers;

/// <summary>DeliverPacket (whole packets, as is) versus DeliverData (decoded with the port's framing), eof and stderr.</summary>
public sealed class DriverDeliveryTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private async Task<(DelegateDriver, Port, PortRecorder)> Open(FrameFormat framing, Action<DriverContext>? start = null)
    {
        var driver = new DelegateDriver { WhenStart = start, WhenInput = (_, _) => { } };
        var port = await DriverTestKit.Spec(_loop, driver).WithFraming(framing).OpenAsync().Within();
        return (driver, port, new PortRecorder(port));
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverPacket_LengthPrefixedPort_DeliversTheBytesAsOnePacketUndecoded()
    {
        var (driver, port, recorder) = await Open(FrameFormat.LengthPrefixed(2));
        await using var _ = port;

        await driver.RunAsync(port, ctx => ctx.DeliverPacket([0, 5, 1]));

        Assert.Equal([0, 5, 1], (await recorder.FirstPacket.Within()).Payload.ToArray());
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverData_Packet2FrameSplitAcrossCallbacks_AssemblesOnePacket()
    {
        var (driver, port, recorder) = await Open(FrameFormat.LengthPrefixed(2));
        await using var _ = port;

        await driver.RunAsync(port, ctx => ctx.DeliverData(new byte[] { 0 }, ChunkOwnership.Borrowed));
        await driver.RunAsync(port, ctx => ctx.DeliverData(new byte[] { 5, (byte)'h', (byte)'e' }, ChunkOwnership.Borrowed));
        Assert.Empty(recorder.Packets);
        await driver.RunAsync(port, ctx => ctx.DeliverData("llo\0\u0002hi"u8.ToArray(), ChunkOwnership.Donated));

        Assert.Equal(["hello", "hi"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverData_Borrowed_PacketsKeepTheirBytesAfterTheBufferIsReused()
    {
        var (driver, port, recorder) = await Open(FrameFormat.Line());
        await using var _ = port;

        await driver.RunAsync(port, ctx =>
        {
            var buffer = "first\n"u8.ToArray();
            ctx.DeliverData(buffer, ChunkOwnership.Borrowed);
            "XXXXX\n"u8.CopyTo(buffer);
            ctx.DeliverData(buffer, ChunkOwnership.Borrowed);
        });

        Assert.Equal(["first", "XXXXX"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverData_FramingError_FailsAtOnceWithTheFramingException()
    {
        var (driver, port, recorder) = await Open(FrameFormat.LengthPrefixed(1, maxPacketSize: 4));

        await driver.RunAsync(port, ctx => ctx.DeliverData(new byte[] { 10, 1, 2 }, ChunkOwnership.Borrowed));

        await recorder.Completed.Within();
        Assert.IsAssignableFrom<FramingException>(recorder.Error);
        Assert.Equal(["start", "stop"], driver.Log); // fails at once: the port stops, closing what it read from
    }

    [Fact(Timeout = 15000)]
    public async Task OnInput_LengthPrefixedPort_ReceivesTheEncodedFrame()
    {
        var received = DriverTestKit.Source<byte[]>();
        var driver = new DelegateDriver { WhenInput = (_, data) => received.TrySetResult(data.ToArray()) };
        await using var port = await DriverTestKit.Spec(_loop, driver).WithFraming(FrameFormat.LengthPrefixed(2)).OpenAsync().Within();

        await port.WriteAsync("hi"u8.ToArray());

        Assert.Equal([0, 2, (byte)'h', (byte)'i'], await received.Task.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverEof_BeforeTheFirstSubscriber_IsHeldUntilItSubscribes()
    {
        var driver = new DelegateDriver { WhenStart = ctx => ctx.DeliverEof() };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await _loop.Barrier();
        Assert.True(port.GetInfo().IsOpen);

        var recorder = new PortRecorder(port);

        await recorder.Completed.Within();
        Assert.Equal(["Closed"], recorder.Kinds); // no eof event outside eof mode (Erlang's)
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverPacket_BeforeTheFirstSubscriber_IsNotLost()
    {
        // Port.Output: "reading starts when it subscribes, so nothing is lost before that". A driver that
        // delivers from its start, a timer or async work (not from readiness) has no way to hold back.
        var driver = new DelegateDriver { WhenStart = ctx => ctx.DeliverPacket("hello"u8) };
        await using var port = DriverTestKit.Spec(_loop, driver).Open();

        var first = port.Output.FirstAsync().ToTask();

        Assert.Equal("hello", PortTestKit.Text((await first.Within()).Payload));
    }

    [Fact(Timeout = 15000)]
    public async Task IsReadingPaused_BeforeAndAfterTheFirstSubscriber_FollowsTheOutput()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        bool before = await driver.RunAsync(port, ctx => ctx.IsReadingPaused);
        using var subscription = port.Output.Subscribe(_ => { });
        bool after = await driver.RunAsync(port, ctx => ctx.IsReadingPaused);

        Assert.Equal((true, false), (before, after));
    }

    [Fact(Timeout = 15000)]
    public async Task DeliverStandardError_ReachesTheStandardErrorView()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var chunk = port.StandardError.FirstAsync().ToTask();

        await driver.RunAsync(port, ctx => ctx.DeliverStandardError("warning"u8.ToArray()));

        Assert.Equal("warning", PortTestKit.Text(await chunk.Within()));
    }
}

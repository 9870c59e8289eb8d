using System.Buffers.Binary;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Ports;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Drivers;

/// <summary>DescriptorIO's reads over real pipes and sockets: ReadAndDeliver through the framing, Read, end of stream.</summary>
public sealed class DescriptorIOReadTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task ReadAndDeliver_FramesSplitAcrossWrites_DeliveredAsPackets()
    {
        using var pipe = new PipeEnds();
        var port = await DriverTestKit.Spec(_loop, new PipeDriver(pipe.Read, null)).WithFraming(FrameFormat.LengthPrefixed(2)).OpenAsync().Within();
        var recorder = new PortRecorder(port);

        Fds.WriteAll(pipe.Write, [0, 5, (byte)'h', (byte)'e'], 5000);
        await Task.Yield();
        Fds.WriteAll(pipe.Write, [(byte)'l', (byte)'l', (byte)'o', 0, 2, (byte)'h', (byte)'i'], 5000);
        pipe.Write.Dispose();

        await recorder.Completed.Within();
        Assert.Null(recorder.Error);
        Assert.Equal(["hello", "hi"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
        Assert.Equal(["Closed"], recorder.Kinds); // no eof event outside eof mode (Erlang's)
        Assert.Equal(7, port.GetInfo().BytesRead);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadAndDeliver_PacketLargerThanAPipe_ArrivesWhole()
    {
        using var pipe = new PipeEnds();
        var port = await DriverTestKit.Spec(_loop, new PipeDriver(pipe.Read, null)).WithFraming(FrameFormat.LengthPrefixed(4)).OpenAsync().Within();
        var recorder = new PortRecorder(port);
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);

        await Task.Run(() => Fds.WriteAll(pipe.Write, frame, 5000)).Within();
        pipe.Write.Dispose();

        await recorder.Completed.Within();
        Assert.Equal(payload, Assert.Single(recorder.Packets).Payload.ToArray());
    }

    [Fact(Timeout = 15000)]
    public async Task Read_EmptyThenDataThenWriterClosed_WouldBlockDoneEndOfStream()
    {
        using var pipe = new PipeEnds();
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var buffer = new byte[16];

        var empty = await driver.RunAsync(port, ctx => ctx.IO.Read(pipe.Read, buffer));
        Fds.WriteAll(pipe.Write, "abc"u8, 5000);
        var data = await driver.RunAsync(port, ctx => ctx.IO.Read(pipe.Read, buffer));
        pipe.Write.Dispose();
        var end = await driver.RunAsync(port, ctx => ctx.IO.Read(pipe.Read, buffer));

        Assert.Equal(new IOResult(IOStatus.WouldBlock, 0, 0), empty);
        Assert.Equal(new IOResult(IOStatus.Done, 3, 0), data);
        Assert.Equal("abc", PortTestKit.Text(buffer.AsMemory(0, 3)));
        Assert.Equal(new IOResult(IOStatus.EndOfStream, 0, 0), end);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadAndDeliver_UnixSocket_EchoesPacketsBothWays()
    {
        var (mine, theirs) = DriverTestKit.SocketPair();
        using var _ = theirs;
        mine.Blocking = false; // the driver's end: non-blocking through the public socket API
        await using var port = await DriverTestKit.Spec(_loop, new PipeDriver(mine.SafeHandle, mine.SafeHandle))
            .WithFraming(FrameFormat.LengthPrefixed(4)).OpenAsync().Within();
        var recorder = new PortRecorder(port);

        await port.WriteAsync("ping"u8.ToArray());
        var request = new byte[8];
        int got = 0;
        while (got < 8) got += await theirs.ReceiveAsync(request.AsMemory(got)).AsTask().Within();
        await theirs.SendAsync(request.AsMemory()).AsTask().Within(); // the peer echoes the frame back

        Assert.Equal([0, 0, 0, 4, (byte)'p', (byte)'i', (byte)'n', (byte)'g'], request);
        Assert.Equal("ping", PortTestKit.Text((await recorder.FirstPacket.Within()).Payload));
        mine.Dispose();
    }

    [Fact(Timeout = 15000)]
    public async Task ReadAndDeliver_NoSubscriber_ReadsNothingUntilOneComes()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(pipe.Read, null);
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        Fds.WriteAll(pipe.Write, "waiting"u8, 5000);
        pipe.Write.Dispose();
        await ReactivePorts.Tests.Polling.LoopTestExtensions.Barrier(_loop);
        Assert.Equal(0, port.GetInfo().BytesRead);

        var recorder = new PortRecorder(port);

        await recorder.Completed.Within();
        Assert.Equal("waiting", recorder.Text);
    }
}

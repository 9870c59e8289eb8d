using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactivePorts.Framing;
using ReactivePorts.Tests.Polling;
using TcpPortSample;

namespace ReactivePorts.Tests.Samples;

/// <summary>
/// The user-written TCP client driver of samples/TcpPortSample (public driver API only), over real
/// loopback sockets: {packet,4} round trips, busy backpressure, control operations, eof, resets,
/// half-close and close with flush. The test holds the server end of each connection.
/// </summary>
public sealed class TcpClientDriverTests
{
    private const int ECONNRESET = 104, EPIPE = 32;

    [Fact(Timeout = 15000)]
    public async Task WriteAsync_SmallAndEmptyPackets_EchoedInOrder()
    {
        await using var c = await Connection.OpenAsync();
        var echo = c.EchoAsync();
        var port = c.OpenPort();
        var echoes = port.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();

        foreach (var word in new[] { "ping", "", "a longer message", "" }) await port.WriteAsync(Encoding.UTF8.GetBytes(word));
        port.CompleteInput();

        Assert.Equal(["ping", "", "a longer message", ""], await echoes);
        await echo;
        await port.Completion;
    }

    [Fact(Timeout = 15000)]
    public async Task WriteAsync_ManySmallPackets_EchoedIntactInOrder()
    {
        await using var c = await Connection.OpenAsync();
        var echo = c.EchoAsync();
        var port = c.OpenPort();
        var received = port.Output.Select(p => p.Payload.ToArray()).ToList().ToTask();
        var expected = Enumerable.Range(0, 25_000).Select(SmallPayload).ToList();

        // One at a time (direct writes and coalescing), then as batches (one command each).
        for (int i = 0; i < 5_000; i++) await port.WriteAsync(expected[i]);
        for (int i = 5_000; i < expected.Count; i += 1_000)
            await port.WriteBatchAsync(expected.Skip(i).Take(1_000).Select(b => (ReadOnlyMemory<byte>)b).ToList());
        port.CompleteInput();

        var packets = await received;
        Assert.Equal(expected.Count, packets.Count);
        for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].AsSpan().SequenceEqual(packets[i]), $"packet {i} differs");
        await echo;
    }

    [Fact(Timeout = 15000)]
    public async Task WriteAsync_OneMebibytePacket_EchoedIntact()
    {
        await using var c = await Connection.OpenAsync();
        var echo = c.EchoAsync();
        var port = c.OpenPort();
        var received = port.Output.Select(p => p.Payload.ToArray()).ToList().ToTask();
        var big = new byte[1024 * 1024];
        new Random(11).NextBytes(big);

        await port.WriteAsync(big);
        await port.WriteAsync(new byte[] { 42 }); // and a small one behind it
        port.CompleteInput();

        var packets = await received;
        Assert.Equal(2, packets.Count);
        Assert.True(big.AsSpan().SequenceEqual(packets[0]), "the 1 MiB packet differs");
        Assert.Equal([42], packets[1]);
        await echo;
    }

    [Fact(Timeout = 15000)]
    public async Task Busy_PeerStopsReading_TrueUntilPeerReadsThenFalse()
    {
        await using var c = await Connection.OpenAsync(smallBuffers: true);
        var port = c.OpenPort();
        var becameBusy = port.Busy.FirstAsync(b => b).ToTask();

        long sent = await FillUntilBusyAsync(port);

        await becameBusy;
        var info = port.GetInfo();
        Assert.True(info.IsBusy);
        Assert.True(info.QueueSize > 0, "nothing queued while the peer does not read");
        Assert.False(port.TryWrite(new byte[1]));
        var ready = port.Writer.WaitToWriteAsync().AsTask();
        Assert.False(ready.IsCompleted); // the peer reads nothing: the queue cannot drain

        var becameReady = port.Busy.FirstAsync(b => !b).ToTask();
        var stream = new byte[sent];
        await c.Peer.ReadExactlyAsync(stream);

        Assert.True(await ready);
        await becameReady;
        await port.Scheduler.Barrier();
        Assert.Equal((false, 0L), (port.GetInfo().IsBusy, port.GetInfo().QueueSize));
        AssertFrames(stream);
        Assert.True(port.TryWrite(new byte[1]));
    }

    [Fact(Timeout = 15000)]
    public async Task Control_GetRemoteEndPoint_ReturnsPeerAddress()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();

        byte[] reply = await port.ControlAsync(TcpClientDriver.GetRemoteEndPoint, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(c.Server.LocalEndPoint!.ToString(), Encoding.UTF8.GetString(reply));
    }

    [Fact(Timeout = 15000)]
    public async Task Control_SetNoDelay_SetsOptionAndReturnsPrevious()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();

        Assert.Equal([0], await port.ControlAsync(TcpClientDriver.SetNoDelay, new byte[] { 1 }));
        Assert.True(c.Client.NoDelay);
        Assert.Equal([1], port.Control(TcpClientDriver.SetNoDelay, [0])); // the blocking form, off the loop
        Assert.False(c.Client.NoDelay);
    }

    [Fact(Timeout = 15000)]
    public async Task Control_SetNoDelayWithoutOneByte_ThrowsArgumentException()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();

        await Assert.ThrowsAsync<ArgumentException>(() => port.ControlAsync(TcpClientDriver.SetNoDelay, ReadOnlyMemory<byte>.Empty));
        Assert.True(port.GetInfo().IsOpen); // the caller's error, not the port's
    }

    [Fact(Timeout = 15000)]
    public async Task Control_UnknownOperation_ThrowsNotSupportedException()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => port.ControlAsync(99, new byte[] { 1 }));

        Assert.Contains("99", error.Message);
        Assert.Throws<NotSupportedException>(() => port.Control(0, []));
        Assert.NotEmpty(await port.ControlAsync(TcpClientDriver.GetRemoteEndPoint, ReadOnlyMemory<byte>.Empty)); // still open
    }

    [Fact(Timeout = 15000)]
    public async Task Output_PeerCloses_DeliversPacketsThenEofAndCompletes()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();
        var events = port.Output.ToEvents().ToList().ToTask();

        await c.Peer.WriteAsync(Frame("one").Concat(Frame("two")).ToArray());
        c.Server.Shutdown(SocketShutdown.Both);
        c.Server.Dispose();

        var all = await events;
        Assert.Equal(["one", "two"], all.OfType<PortData>().Select(d => Encoding.UTF8.GetString(d.Packet.Payload.Span)));
        Assert.Equal(["PortData", "PortData", "PortClosed"], all.Select(e => e.GetType().Name)); // eof events only in eof mode
        Assert.Null(((PortClosed)all[^1]).Error);
        await port.Completion;
    }

    [Fact(Timeout = 15000)]
    public async Task CompleteInput_HalfClose_PeerSeesEofAndItsReplyArrives()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();
        var packets = port.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();

        await port.WriteAsync(Encoding.UTF8.GetBytes("question"));
        port.CompleteInput();
        var request = new byte[4 + 8];
        await c.Peer.ReadExactlyAsync(request);
        Assert.Equal(0, await c.Peer.ReadAsync(new byte[1])); // eof: the port shut down its sending side
        await c.Peer.WriteAsync(Frame("answer"));             // …and still reads
        c.Server.Shutdown(SocketShutdown.Send);

        Assert.Equal(["answer"], await packets);
        await port.Completion;
    }

    [Fact(Timeout = 15000)]
    public async Task Output_PeerResets_FailsWithConnectionReset()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();
        var output = port.Output.ToList().ToTask();

        c.Reset();

        var error = await Assert.ThrowsAsync<IOException>(() => output);
        Assert.Equal(ECONNRESET, error.HResult);
        Assert.Equal(ECONNRESET, (await Assert.ThrowsAsync<IOException>(() => port.Completion)).HResult);
    }

    [Fact(Timeout = 15000)]
    public async Task WriteAsync_AfterPeerReset_ReportsWriteFailureAndFailsPort()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort(); // its output is not read, so only the write can find the reset
        var events = port.Events.ToList().ToTask();
        c.Reset();
        Assert.True(c.Client.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead), "the reset did not arrive");

        // Written straight from this thread, the write fails here; through the loop, it is accepted
        // and the failure is an event. Either way the port then fails, and later writes throw.
        bool direct;
        try
        {
            await port.WriteAsync(new byte[100]);
            direct = false;
        }
        catch (IOException first)
        {
            Assert.Contains(first.HResult, new[] { ECONNRESET, EPIPE });
            direct = true;
        }

        var error = await Assert.ThrowsAsync<IOException>(() => port.Completion);
        Assert.Contains(error.HResult, new[] { ECONNRESET, EPIPE });
        var later = await Assert.ThrowsAnyAsync<Exception>(() => port.WriteAsync(new byte[1]).AsTask());
        Assert.True(later is IOException or ObjectDisposedException, later.ToString());
        Assert.Equal(direct ? ["PortClosed"] : ["PortWriteFailed", "PortClosed"], (await events).Select(e => e.GetType().Name));
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_QueuedDataAndReadingPeer_FlushesEverythingThenEof()
    {
        await using var c = await Connection.OpenAsync(smallBuffers: true);
        var port = c.OpenPort();
        long sent = await FillUntilBusyAsync(port);
        Assert.True(port.GetInfo().QueueSize > 0);

        var closing = port.CloseAsync();
        Assert.False(closing.IsCompleted); // the peer reads nothing yet: the queue cannot be flushed

        var stream = new byte[sent];
        await c.Peer.ReadExactlyAsync(stream);
        // End of stream, not a reset: the socket was closed gracefully after the flush, so nothing
        // in its send buffer was thrown away.
        Assert.Equal(0, await c.Peer.ReadAsync(new byte[1]));
        Assert.Equal(0L, await closing);
        AssertFrames(stream);
        await port.Completion;
    }

    [Fact(Timeout = 15000)]
    public async Task EofMode_PeerHalfCloses_PortStaysOpenAndWritable()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort(spec => spec.WithEofMode());
        var eof = port.Events.OfType<PortEof>().FirstAsync().ToTask();
        var packets = port.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();

        await c.Peer.WriteAsync(Frame("last words"));
        c.Server.Shutdown(SocketShutdown.Send);
        await eof;
        await port.Scheduler.Barrier();
        Assert.False(port.Completion.IsCompleted);

        await port.WriteAsync(Encoding.UTF8.GetBytes("still here"));
        var frame = new byte[4 + 10];
        await c.Peer.ReadExactlyAsync(frame);
        Assert.Equal("still here", Encoding.UTF8.GetString(frame, 4, 10));

        Assert.Equal(0L, await port.CloseAsync());
        Assert.Equal(["last words"], await packets);
        Assert.Equal(0, await c.Peer.ReadAsync(new byte[1]));
    }

    [Fact(Timeout = 15000)]
    public async Task Output_SubscriberThrows_PortFailsAndSocketCloses()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();
        var boom = new InvalidOperationException("boom");
        // The port fails inside the delivery of a read, so stop_select closes the socket from there.
        port.Output.Subscribe(_ => throw boom, _ => { });

        await c.Peer.WriteAsync(Frame("hello"));

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => port.Completion));
        Assert.Equal(0, await c.Peer.ReadAsync(new byte[1]));
    }

    [Fact(Timeout = 15000)]
    public async Task Output_FrameOverMaximum_FailsWithFramingException()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort(framing: FrameFormat.LengthPrefixed(4, maxPacketSize: 1024));
        var output = port.Output.ToList().ToTask();

        await c.Peer.WriteAsync(Frame(new string('x', 2000)));

        await Assert.ThrowsAnyAsync<FramingException>(() => output);
        await Assert.ThrowsAnyAsync<FramingException>(() => port.Completion);
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_OutputNeverRead_ClosesSocket()
    {
        await using var c = await Connection.OpenAsync();
        var port = c.OpenPort();
        await port.Started;

        Assert.Equal(0L, await port.CloseAsync());

        Assert.Equal(0, await c.Peer.ReadAsync(new byte[1]));
        await port.Completion;
    }

    [Fact(Timeout = 15000)]
    public async Task Constructor_UnconnectedSocket_ThrowsArgumentException()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.Throws<ArgumentException>(() => new TcpClientDriver(socket));
        await Assert.ThrowsAsync<ArgumentException>(() => Port.Driver(() => new TcpClientDriver(socket)).OpenAsync());
    }

    /// <summary>
    /// Writes 16 KiB packets numbered in their bytes until the port is busy and stays busy once the
    /// loop has caught up (a refusal can also mean the loop had not yet written the last packets to a
    /// socket with room); returns the bytes sent, headers included.
    /// </summary>
    private static async Task<long> FillUntilBusyAsync(Port port)
    {
        long sent = 0;
        for (int i = 0; ; )
        {
            var chunk = new byte[16 * 1024];
            chunk.AsSpan().Fill((byte)i);
            if (port.TryWrite(chunk))
            {
                sent += 4 + chunk.Length;
                i++;
                Assert.True(sent < 64 * 1024 * 1024, "never busy though the peer does not read");
                continue;
            }
            await port.Scheduler.Barrier();
            if (port.GetInfo().IsBusy) return sent;
        }
    }

    /// <summary>Checks a stream of the 16 KiB packets written by <see cref="FillUntilBusyAsync"/>: whole, in order, none lost.</summary>
    private static void AssertFrames(ReadOnlySpan<byte> stream)
    {
        for (int i = 0; !stream.IsEmpty; i++)
        {
            Assert.Equal(16 * 1024u, BinaryPrimitives.ReadUInt32BigEndian(stream));
            var payload = stream.Slice(4, 16 * 1024);
            Assert.True(payload.IndexOfAnyExcept((byte)i) < 0, $"packet {i} differs");
            stream = stream[(4 + payload.Length)..];
        }
    }

    private static byte[] SmallPayload(int i) => Enumerable.Range(0, i % 64).Select(k => (byte)(i + k)).ToArray();

    private static byte[] Frame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A loopback connection (127.0.0.1 only): the client socket for the driver, the server end for the test.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly List<Port> _ports = new();

        private Connection(Socket client, Socket server)
        {
            Client = client;
            Server = server;
            Peer = new NetworkStream(server, ownsSocket: true);
        }

        public Socket Client { get; }

        public Socket Server { get; }

        public NetworkStream Peer { get; }

        /// <param name="smallBuffers">Small socket buffers on both sides, so a peer that stops reading fills them with a few hundred KiB.</param>
        public static async Task<Connection> OpenAsync(bool smallBuffers = false)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (smallBuffers) listener.ReceiveBufferSize = 64 * 1024; // inherited by the accepted socket
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (smallBuffers) client.SendBufferSize = 64 * 1024;
            var accepting = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            return new Connection(client, await accepting);
        }

        /// <summary>A port on the client socket (which the driver owns from now on), {packet,4} unless told otherwise.</summary>
        public Port OpenPort(Func<DriverSpec, DriverSpec>? configure = null, FrameFormat? framing = null)
        {
            var spec = Port.Driver(() => new TcpClientDriver(Client)).WithFraming(framing ?? FrameFormat.LengthPrefixed(4));
            var port = (configure?.Invoke(spec) ?? spec).Open();
            _ports.Add(port);
            return port;
        }

        /// <summary>The server echoes everything until the client half-closes, then half-closes too.</summary>
        public async Task EchoAsync()
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await Peer.ReadAsync(buffer)) > 0) await Peer.WriteAsync(buffer.AsMemory(0, n));
            Server.Shutdown(SocketShutdown.Send);
        }

        /// <summary>The server closes with RST (linger 0).</summary>
        public void Reset()
        {
            Server.LingerState = new LingerOption(true, 0);
            Server.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var port in _ports) await port.CloseAsync(TimeSpan.Zero);
            Peer.Dispose();
            Client.Dispose(); // a no-op when a port closed it
        }
    }
}

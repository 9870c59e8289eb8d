// A TCP client port: a driver of our own (TcpClientDriver, public driver API, no P/Invoke) over a
// connected socket, with Erlang's {packet,4} framing, busy-port backpressure, control operations,
// half-close and close-with-flush. Every server here listens on 127.0.0.1 only.
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactivePorts;
using ReactivePorts.Framing;
using TcpPortSample;

var packet4 = FrameFormat.LengthPrefixed(4);

// 1. Packets out, echoes back as an Rx query; control operations; half-close ends the exchange.
Console.WriteLine("== {packet,4} over TCP to an echo server on 127.0.0.1");
var (socket, echoServer) = await Loopback.ConnectAsync(Loopback.Echo);
await using (var port = Port.Driver(() => new TcpClientDriver(socket)).WithFraming(packet4).Open())
{
    // Control operations (Erlang's port_control) run in the driver, on the port's loop.
    Console.WriteLine($"  op 1, remote endpoint: {Encoding.UTF8.GetString(port.Control(TcpClientDriver.GetRemoteEndPoint, []))}");
    byte[] previous = port.Control(TcpClientDriver.SetNoDelay, [1]);
    Console.WriteLine($"  op 2, TCP_NODELAY on: it was {(previous[0] == 1 ? "on" : "off")}");
    try
    {
        port.Control(99, []);
    }
    catch (NotSupportedException ex)
    {
        Console.WriteLine($"  op 99: {ex.Message}");
    }

    // ToTask subscribes now, so the port reads while we write.
    var echoes = port.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();
    foreach (var word in new[] { "ping", "", "a longer message" })
        await port.WriteAsync(Encoding.UTF8.GetBytes(word));
    port.CompleteInput(); // half-close: the server sees eof, echoes what is left and closes, which ends the output
    Console.WriteLine($"  echoes: [{string.Join(", ", (await echoes).Select(e => $"\"{e}\""))}]");
}
await echoServer;

// 2. Many small packets (as batches) and one large one, summed up by an Rx query.
Console.WriteLine("== 100,000 small packets and one of 1 MiB through the echo server");
(socket, echoServer) = await Loopback.ConnectAsync(Loopback.Echo);
await using (var port = Port.Driver(() => new TcpClientDriver(socket)).WithFraming(packet4).Open())
{
    var totals = port.Output.Aggregate((Packets: 0, Bytes: 0L), (t, p) => (t.Packets + 1, t.Bytes + p.Length)).ToTask();
    var batch = Enumerable.Range(0, 1000).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i)).ToArray();
    for (int round = 0; round < 100; round++) await port.WriteBatchAsync(batch);
    await port.WriteAsync(new byte[1024 * 1024]);
    port.CompleteInput();
    var (packets, bytes) = await totals;
    Console.WriteLine($"  back: {packets:N0} packets, {bytes:N0} payload bytes");
}
await echoServer;

// 3. Busy port: a server that stops reading. The socket fills, the driver queues, the port turns
//    busy and TryWrite refuses (Erlang's busy port); when the server reads again it is ready again.
Console.WriteLine("== busy port: a server that stops reading");
var resume = new TaskCompletionSource();
(socket, var sink) = await Loopback.ConnectAsync(async s =>
{
    using (s)
    {
        await resume.Task;
        return await Loopback.Drain(s);
    }
}, receiveBufferSize: 64 * 1024, sendBufferSize: 64 * 1024); // small buffers: full sooner
await using (var port = Port.Driver(() => new TcpClientDriver(socket)).WithFraming(packet4).Open())
{
    var busy = port.Busy.Take(3).ToList().ToTask(); // not busy, busy, ready again
    var chunk = new byte[16 * 1024];
    long sent = 0;
    while (true)
    {
        while (port.TryWrite(chunk)) sent += 4 + chunk.Length;
        // Refused: the socket is full, or the loop has not written the last packets yet. Still busy
        // after a moment means full.
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        try { await port.Writer.WaitToWriteAsync(patience.Token); }
        catch (OperationCanceledException) { break; }
    }
    var info = port.GetInfo();
    Console.WriteLine($"  TryWrite refused after {sent / 1024:N0} KiB: the socket is full, {info.QueueSize:N0} bytes queued, busy: {info.IsBusy}");
    var ready = port.Writer.WaitToWriteAsync();
    resume.SetResult(); // the server reads again
    await ready;
    Console.WriteLine($"  the server reads again: ready to write; Busy went {string.Join(" → ", await busy)}");

    // Closing flushes: write 4 MiB more and close at once; what is still queued is written first.
    for (int i = 0; i < 256; i++)
    {
        await port.WriteAsync(chunk);
        sent += 4 + chunk.Length;
    }
    long dropped = await port.CloseAsync();
    long received = await sink;
    Console.WriteLine($"  closed right after 4 MiB more: {dropped} bytes dropped; the server read {received:N0} of {sent:N0} bytes, then eof");
}

// 4. A server that resets the connection: the port fails with the errno.
Console.WriteLine("== a server that resets the connection");
(socket, var resetter) = await Loopback.ConnectAsync(s =>
{
    s.LingerState = new LingerOption(true, 0); // close with RST
    s.Dispose();
    return Task.CompletedTask;
});
await using (var port = Port.Driver(() => new TcpClientDriver(socket)).WithFraming(packet4).Open())
{
    var last = await port.Output.Materialize().LastAsync();
    Console.WriteLine($"  the output ends with {last.Kind}: {last.Exception?.GetType().Name}: {last.Exception?.Message}");
}
await resetter;

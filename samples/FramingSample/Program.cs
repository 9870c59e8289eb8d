// A tour of ReactivePorts.Framing: Erlang's {packet,N} and {line,L} framing over a stream,
// a pipe and Rx, with no process involved.
using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Text;
using ReactivePorts.Framing;

var packet2 = FrameFormat.LengthPrefixed(2);

// 1. {packet,2} frames coalesced into one buffer, written to a stream with one write, read back.
Console.WriteLine("== {packet,2} through a MemoryStream");
using (var stream = new MemoryStream())
{
    string[] messages = ["hello", "", "a third, longer message"];
    await stream.WritePacketsAsync(packet2, messages.Select(m => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(m)));
    Console.WriteLine($"wrote {stream.Length} bytes: {Convert.ToHexString(stream.ToArray()[..9])}...");

    stream.Position = 0;
    await foreach (var packet in stream.ReadPacketsAsync(packet2, bufferSize: 4))
    {
        Console.WriteLine($"  {packet.Length,2} B  \"{Encoding.UTF8.GetString(packet.Payload.Span)}\"");
    }
}

// 2. {line,16} over a pipe: long lines come as noeol pieces, \r\n is removed, the tail is noeol.
Console.WriteLine("== {line,16} through a Pipe");
var pipe = new Pipe();
await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("short line\r\nthis line is longer than sixteen bytes\nunterminated"));
await pipe.Writer.CompleteAsync();
await foreach (var piece in pipe.Reader.ReadPacketsAsync(FrameFormat.Line(16)))
{
    Console.WriteLine($"  {piece.Line,-5} \"{Encoding.UTF8.GetString(piece.Payload.Span)}\"");
}

// 3. Rx: bytes arrive in awkward 3-byte chunks, splitting frames and UTF-8 characters alike.
Console.WriteLine("== Rx: chunks -> packets, chunks -> text lines");
var frames = new FrameBatch(packet2);
frames.Add("ping"u8);
frames.Add("pong"u8);
var chunks = Chunks(frames.WrittenMemory.ToArray(), 3);
frames.Dispose();
await chunks.Decode(packet2).ForEachAsync(p => Console.WriteLine($"  packet \"{Encoding.UTF8.GetString(p.Payload.Span)}\""));

var text = Encoding.UTF8.GetBytes("grüße, 世界\r\nzweite Zeile\n");
await Chunks(text, 3).DecodeLines(8).ToLines().ForEachAsync(line => Console.WriteLine($"  line   \"{line}\""));

// 4. A hostile header is refused before anything is allocated, as an OnError.
Console.WriteLine("== a header announcing 4 GiB");
var error = await Chunks([0xFF, 0xFF, 0xFF, 0xFF], 4).Decode(FrameFormat.LengthPrefixed(4))
    .Select(_ => "unexpected packet")
    .Catch((FramingException e) => Observable.Return(e.Message));
Console.WriteLine($"  {error}");

static IObservable<ReadOnlyMemory<byte>> Chunks(byte[] bytes, int size) =>
    bytes.Chunk(size).Select(c => (ReadOnlyMemory<byte>)c).ToObservable();

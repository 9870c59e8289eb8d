using System.Runtime.InteropServices;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Decoders;

public class StreamDecoderTests
{
    [Fact]
    public void Decode_Chunks_DeliveredAsTheyCome()
    {
        var decoder = FrameFormat.Stream.CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(Bytes.Ascii("ab"), ChunkOwnership.Borrowed, sink);
        decoder.Decode(Bytes.Ascii("c\n"), ChunkOwnership.Borrowed, sink);
        decoder.Complete(sink);
        Assert.Equal(["ab", "c\n"], sink.Packets.Select(Bytes.Text));
        Assert.All(sink.Packets, p => Assert.Equal(LineEnding.NotALine, p.Line));
    }

    [Fact]
    public void Decode_EmptyChunk_DeliversNothing()
    {
        var decoder = FrameFormat.Stream.CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(ReadOnlyMemory<byte>.Empty, ChunkOwnership.Donated, sink);
        decoder.Complete(sink);
        Assert.Empty(sink.Packets);
        Assert.Equal(0, decoder.BufferedBytes);
    }

    [Fact]
    public void Decode_Donated_PassesTheChunkThrough()
    {
        var chunk = Bytes.Ascii("data");
        var sink = new CollectingSink();
        FrameFormat.Stream.CreateDecoder().Decode(chunk.AsMemory(1, 2), ChunkOwnership.Donated, sink);
        Assert.True(MemoryMarshal.TryGetArray(Assert.Single(sink.Packets).Payload, out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal(1, segment.Offset);
    }
}

using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Decoders;

/// <summary>
/// <see cref="FrameDecoder.GetAssemblySpace"/> and <see cref="FrameDecoder.CommitAssembly"/>: a
/// reader writes the rest of a frame straight into the packet, in pieces, mixed with ordinary chunks.
/// </summary>
public class AssemblySpaceTests
{
    [Theory]
    [InlineData(ChunkOwnership.Donated)]
    [InlineData(ChunkOwnership.Borrowed)]
    [InlineData(ChunkOwnership.Transient)]
    public void LargeFrames_ReadPartlyIntoTheAssemblySpace_RoundTrip(ChunkOwnership ownership)
    {
        var format = FrameFormat.LengthPrefixed(4);
        var payloads = new[] { Bytes.Pattern(100_000, 1), Bytes.Pattern(10, 2), Bytes.Pattern(70_000, 3), Bytes.Pattern(5, 4) };
        var input = Bytes.Encode(format, payloads);
        var decoder = format.CreateDecoder();
        var sink = new CollectingSink(copy: ownership == ChunkOwnership.Transient);
        var random = new Random(5);
        int pos = 0;
        int viaSpace = 0;
        while (pos < input.Length)
        {
            var space = decoder.GetAssemblySpace();
            if (!space.IsEmpty)
            {
                // The "read": some of the frame's missing bytes, straight into the packet.
                int n = Math.Min(space.Length, random.Next(1, 40_000));
                input.AsSpan(pos, n).CopyTo(space.Span);
                decoder.CommitAssembly(n, ownership, sink);
                pos += n;
                viaSpace += n;
                continue;
            }
            int chunk = Math.Min(input.Length - pos, random.Next(1, 30_000));
            decoder.Decode(input.AsMemory(pos, chunk), ownership, sink);
            pos += chunk;
        }
        decoder.Complete(sink);
        Assert.Equal(payloads.Select(p => new Packet(p)), sink.Packets);
        Assert.True(viaSpace > 100_000, $"only {viaSpace} bytes went through the assembly space");
    }

    [Fact]
    public void AssemblySpace_IsExactlyTheFramesMissingBytes()
    {
        var decoder = FrameFormat.LengthPrefixed(2).CreateDecoder();
        var sink = new CollectingSink();
        Assert.True(decoder.GetAssemblySpace().IsEmpty);
        decoder.Decode(new byte[] { 0, 10, 1, 2, 3 }, ChunkOwnership.Borrowed, sink);
        var space = decoder.GetAssemblySpace();
        Assert.Equal(7, space.Length);
        new byte[] { 4, 5, 6 }.CopyTo(space.Span);
        decoder.CommitAssembly(3, ChunkOwnership.Borrowed, sink);
        Assert.Empty(sink.Packets);
        Assert.Equal(4, decoder.GetAssemblySpace().Length);
        new byte[] { 7, 8, 9, 10 }.CopyTo(decoder.GetAssemblySpace().Span);
        decoder.CommitAssembly(4, ChunkOwnership.Borrowed, sink);
        Assert.Equal([new Packet(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })], sink.Packets);
        Assert.True(decoder.GetAssemblySpace().IsEmpty);
        Assert.Equal(0, decoder.BufferedBytes);
    }

    [Fact]
    public void CommitAssembly_BadCount_Throws_AndTheDecoderStaysUsable()
    {
        var decoder = FrameFormat.LengthPrefixed(1).CreateDecoder();
        var sink = new CollectingSink();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.CommitAssembly(1, ChunkOwnership.Borrowed, sink));
        Assert.Contains("0 bytes", error.Message);
        decoder.CommitAssembly(0, ChunkOwnership.Borrowed, sink); // nothing: fine
        decoder.Decode(new byte[] { 3, 1 }, ChunkOwnership.Borrowed, sink);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.CommitAssembly(3, ChunkOwnership.Borrowed, sink));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.CommitAssembly(-1, ChunkOwnership.Borrowed, sink));
        Assert.Throws<ArgumentNullException>(() => decoder.CommitAssembly(0, ChunkOwnership.Borrowed, null!));
        decoder.Decode(new byte[] { 2, 3 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal([new Packet(new byte[] { 1, 2, 3 })], sink.Packets);
    }

    [Fact]
    public void LineAndStreamFormats_OfferNoAssemblySpace()
    {
        var sink = new CollectingSink();
        var line = FrameFormat.Line(100).CreateDecoder();
        line.Decode(Bytes.Ascii("a partial line"), ChunkOwnership.Borrowed, sink);
        Assert.True(line.GetAssemblySpace().IsEmpty);
        Assert.True(FrameFormat.Stream.CreateDecoder().GetAssemblySpace().IsEmpty);
    }
}

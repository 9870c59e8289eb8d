using System.Buffers.Binary;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Decoders;

public class LengthPrefixDecoderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Decode_ZeroLengthFrames_DeliversEmptyPackets(int headerSize)
    {
        var input = Bytes.Frame(headerSize, [], [], [7], []);
        var packets = Feed.Decode(FrameFormat.LengthPrefixed(headerSize), input);
        Assert.Equal([0, 0, 1, 0], packets.Select(p => p.Length));
        Assert.All(packets, p => Assert.Equal(LineEnding.NotALine, p.Line));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 255)]
    [InlineData(2, 65535)]
    [InlineData(4, 1024 * 1024)]
    public void Decode_BoundarySizes_RoundTrips(int headerSize, int size)
    {
        var format = FrameFormat.LengthPrefixed(headerSize);
        var payload = Bytes.Pattern(size, seed: size);
        var input = Bytes.Encode(format, [payload, payload]);
        Assert.Equal(Bytes.Frame(headerSize, payload, payload), input);
        foreach (var chunk in new[] { input.Length, 64 * 1024, 1000, 3 })
        {
            var packets = Feed.Decode(format, input, Feed.Repeat(chunk), ChunkOwnership.Donated);
            Assert.Equal([new Packet(payload), new Packet(payload)], packets);
        }
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x80000004u)]
    [InlineData(0x80000000u)]
    public void Decode_HostileHeader_ThrowsPacketTooLargeNamingSizeAndLimit(uint header)
    {
        var decoder = FrameFormat.LengthPrefixed(4).CreateDecoder();
        var input = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(input, header);

        var error = Assert.Throws<PacketTooLargeException>(() => decoder.Decode(input, ChunkOwnership.Borrowed, new CollectingSink()));
        Assert.Equal(header, error.AnnouncedSize);
        Assert.Equal(FrameFormat.DefaultMaxPacketSize, error.Limit);
        Assert.Contains(header.ToString(), error.Message);
        Assert.Contains(FrameFormat.DefaultMaxPacketSize.ToString(), error.Message);
    }

    [Fact]
    public void Decode_TwoGiBHeaderWithLargestLimit_ThrowsInsteadOfAllocating()
    {
        // The limit can be at most Array.MaxLength, so even the largest configuration refuses 2 GiB.
        var decoder = FrameFormat.LengthPrefixed(4, Array.MaxLength).CreateDecoder();
        var error = Assert.Throws<PacketTooLargeException>(() => decoder.Decode(new byte[] { 0x80, 0, 0, 0 }, ChunkOwnership.Borrowed, new CollectingSink()));
        Assert.Equal(2L * 1024 * 1024 * 1024, error.AnnouncedSize);
    }

    [Fact]
    public void Decode_HeaderOverLimit_ThrowsBeforeAllocatingThePacket()
    {
        const int limit = 8 * 1024 * 1024;
        var decoder = FrameFormat.LengthPrefixed(4, limit).CreateDecoder();
        var sink = new CollectingSink();
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, limit + 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<PacketTooLargeException>(() => decoder.Decode(header, ChunkOwnership.Donated, sink));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Only the exception and its message; an 8 MiB buffer would show here.
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        Assert.Equal(0, decoder.BufferedBytes);
    }

    [Fact]
    public void Decode_HeaderExactlyAtLimit_Delivers()
    {
        var format = FrameFormat.LengthPrefixed(2, 1000);
        var payload = Bytes.Pattern(1000);
        Assert.Equal([new Packet(payload)], Feed.Decode(format, Bytes.Frame(2, payload)));
    }

    [Fact]
    public void Decode_HeaderJustOverLimitSplitAcrossChunks_ThrowsWhenHeaderCompletes()
    {
        var decoder = FrameFormat.LengthPrefixed(2, 1000).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0x03 }, ChunkOwnership.Borrowed, sink);
        var error = Assert.Throws<PacketTooLargeException>(() => decoder.Decode(new byte[] { 0xE9 }, ChunkOwnership.Borrowed, sink));
        Assert.Equal(1001, error.AnnouncedSize);
        Assert.Equal(1000, error.Limit);
    }

    [Fact]
    public void Decode_AfterError_ThrowsInvalidOperationWithTheError()
    {
        var decoder = FrameFormat.LengthPrefixed(1, 10).CreateDecoder();
        var sink = new CollectingSink();
        var first = Assert.Throws<PacketTooLargeException>(() => decoder.Decode(new byte[] { 11 }, ChunkOwnership.Borrowed, sink));

        var again = Assert.Throws<InvalidOperationException>(() => decoder.Decode(new byte[] { 1, 1 }, ChunkOwnership.Borrowed, sink));
        Assert.Same(first, again.InnerException);
        Assert.Throws<InvalidOperationException>(() => decoder.Complete(sink));
        Assert.Empty(sink.Packets);
    }

    [Fact]
    public void Decode_FramesBeforeBadHeaderInSameChunk_AreDelivered()
    {
        var decoder = FrameFormat.LengthPrefixed(1, 10).CreateDecoder();
        var sink = new CollectingSink();
        Assert.Throws<PacketTooLargeException>(() => decoder.Decode(new byte[] { 1, 42, 200, 0 }, ChunkOwnership.Borrowed, sink));
        Assert.Equal([new Packet(new byte[] { 42 })], sink.Packets);
    }

    [Fact]
    public void Complete_TruncatedPayload_ThrowsWithExpectedAndReceived()
    {
        var decoder = FrameFormat.LengthPrefixed(2).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0, 10, 1, 2, 3 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal(3, decoder.BufferedBytes);

        var error = Assert.Throws<TruncatedFrameException>(() => decoder.Complete(sink));
        Assert.Equal(10, error.ExpectedBytes);
        Assert.Equal(3, error.ReceivedBytes);
        Assert.False(error.IsInHeader);
        Assert.Contains("10", error.Message);
        Assert.Contains("3", error.Message);
        Assert.Empty(sink.Packets);
    }

    [Fact]
    public void Complete_TruncatedHeader_ThrowsWithHeaderBytes()
    {
        var decoder = FrameFormat.LengthPrefixed(4).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0, 0 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal(2, decoder.BufferedBytes);

        var error = Assert.Throws<TruncatedFrameException>(() => decoder.Complete(sink));
        Assert.True(error.IsInHeader);
        Assert.Equal(4, error.ExpectedBytes);
        Assert.Equal(2, error.ReceivedBytes);
    }

    [Fact]
    public void Complete_TruncatedWithDiscard_DropsTheFrameAndResets()
    {
        var format = FrameFormat.LengthPrefixed(2).WithTruncatedFrames(TruncatedFrameHandling.Discard);
        var decoder = format.CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0, 1, 9, 0, 10, 1, 2, 3 }, ChunkOwnership.Borrowed, sink);

        decoder.Complete(sink);

        Assert.Equal([new Packet(new byte[] { 9 })], sink.Packets);
        Assert.Equal(0, decoder.BufferedBytes);
        decoder.Decode(new byte[] { 0, 1, 8 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal(new Packet(new byte[] { 8 }), sink.Packets[^1]);
    }

    [Fact]
    public void Complete_AtFrameBoundary_DeliversNothingAndAllowsReuse()
    {
        var decoder = FrameFormat.LengthPrefixed(1).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 1, 5 }, ChunkOwnership.Borrowed, sink);
        decoder.Complete(sink);
        decoder.Decode(new byte[] { 1, 6 }, ChunkOwnership.Borrowed, sink);
        decoder.Complete(sink);
        Assert.Equal([5, 6], sink.Packets.Select(p => p.Payload.Span[0]));
    }

    [Fact]
    public void BufferedBytes_PartialFrame_CountsHeaderAndPayloadBytes()
    {
        var decoder = FrameFormat.LengthPrefixed(4).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0, 0, 0 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal(3, decoder.BufferedBytes);
        decoder.Decode(new byte[] { 100, 1, 2 }, ChunkOwnership.Borrowed, sink);
        Assert.Equal(2, decoder.BufferedBytes);
    }

    [Fact]
    public void Decode_SinkThrows_LeavesDecoderUnusable()
    {
        var decoder = FrameFormat.LengthPrefixed(1).CreateDecoder();
        var sink = new ThrowingSink();
        Assert.Throws<InvalidTimeZoneException>(() => decoder.Decode(new byte[] { 0, 0 }, ChunkOwnership.Borrowed, sink));
        Assert.Throws<InvalidOperationException>(() => decoder.Decode(new byte[] { 0 }, ChunkOwnership.Borrowed, new CollectingSink()));
    }

    [Fact]
    public void Decode_BadArguments_Throw()
    {
        var decoder = FrameFormat.LengthPrefixed(1).CreateDecoder();
        Assert.Throws<ArgumentNullException>("sink", () => decoder.Decode(new byte[] { 0 }, ChunkOwnership.Borrowed, null!));
        Assert.Throws<ArgumentOutOfRangeException>("ownership", () => decoder.Decode(new byte[] { 0 }, (ChunkOwnership)7, new CollectingSink()));
        Assert.Throws<ArgumentNullException>("sink", () => decoder.Complete(null!));

        // Argument errors do not fault the decoder.
        var sink = new CollectingSink();
        decoder.Decode(new byte[] { 0 }, ChunkOwnership.Borrowed, sink);
        Assert.Single(sink.Packets);
    }

    private sealed class ThrowingSink : IPacketSink
    {
        public void OnPacket(Packet packet) => throw new InvalidTimeZoneException();
    }
}

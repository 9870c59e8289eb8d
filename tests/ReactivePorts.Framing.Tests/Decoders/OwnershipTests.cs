using System.Runtime.InteropServices;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Decoders;

/// <summary>What each <see cref="ChunkOwnership"/> promises about payload memory.</summary>
public class OwnershipTests
{
    public static TheoryData<string> Formats => ["packet", "line", "stream"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_Borrowed_PayloadsSurviveOverwritingTheChunk(string kind)
    {
        var (format, chunk, expected) = Sample(kind);
        var sink = new CollectingSink();
        format.CreateDecoder().Decode(chunk, ChunkOwnership.Borrowed, sink);

        Array.Fill(chunk, (byte)0xEE);

        Assert.Equal(expected, sink.Packets.Select(Bytes.Text));
        Assert.All(sink.Packets, p => Assert.False(MemoryMarshal.TryGetArray(p.Payload, out var s) && ReferenceEquals(s.Array, chunk)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_DonatedFramesInsideChunk_AreSlicesOfIt(string kind)
    {
        var (format, chunk, expected) = Sample(kind);
        var sink = new CollectingSink();
        format.CreateDecoder().Decode(chunk, ChunkOwnership.Donated, sink);

        Assert.Equal(expected, sink.Packets.Select(Bytes.Text));
        Assert.All(sink.Packets, p =>
        {
            Assert.True(MemoryMarshal.TryGetArray(p.Payload, out var segment));
            Assert.Same(chunk, segment.Array);
        });
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_TransientFramesInsideChunk_AreSlicesOfIt(string kind)
    {
        var (format, chunk, expected) = Sample(kind);
        var seen = new List<(bool SameArray, string Text)>();
        format.CreateDecoder().Decode(chunk, ChunkOwnership.Transient, new DelegateSink(p =>
            seen.Add((MemoryMarshal.TryGetArray(p.Payload, out var s) && ReferenceEquals(s.Array, chunk), Bytes.Text(p)))));

        Assert.Equal(expected, seen.Select(s => s.Text));
        Assert.All(seen, s => Assert.True(s.SameArray));
    }

    [Fact]
    public void Decode_DonatedFrameSpanningChunks_IsOneExactlySizedArray()
    {
        var decoder = FrameFormat.LengthPrefixed(2).CreateDecoder();
        var sink = new CollectingSink();
        var input = Bytes.Frame(2, Bytes.Pattern(300));
        decoder.Decode(input[..100], ChunkOwnership.Donated, sink);
        decoder.Decode(input[100..200], ChunkOwnership.Donated, sink);
        decoder.Decode(input[200..], ChunkOwnership.Donated, sink);

        var packet = Assert.Single(sink.Packets);
        Assert.True(MemoryMarshal.TryGetArray(packet.Payload, out var segment));
        Assert.Equal(0, segment.Offset);
        Assert.Equal(300, segment.Array!.Length);
        Assert.Equal(Bytes.Pattern(300), packet.Payload.ToArray());
    }

    [Fact]
    public void Decode_TransientFramesSpanningChunks_ReuseOneBuffer()
    {
        var decoder = FrameFormat.LengthPrefixed(2).CreateDecoder();
        var arrays = new List<byte[]?>();
        var texts = new List<byte[]>();
        var sink = new DelegateSink(p =>
        {
            arrays.Add(MemoryMarshal.TryGetArray(p.Payload, out var s) ? s.Array : null);
            texts.Add(p.Payload.ToArray());
        });
        var input = Bytes.Frame(2, Bytes.Pattern(50, 1), Bytes.Pattern(50, 2), Bytes.Pattern(40, 3));

        // 30-byte chunks: every frame spans chunks.
        for (var i = 0; i < input.Length; i += 30)
        {
            decoder.Decode(input.AsMemory(i, Math.Min(30, input.Length - i)).ToArray(), ChunkOwnership.Transient, sink);
        }

        Assert.Equal([Bytes.Pattern(50, 1), Bytes.Pattern(50, 2), Bytes.Pattern(40, 3)], texts);
        Assert.NotNull(arrays[0]);
        Assert.All(arrays, a => Assert.Same(arrays[0], a));
    }

    [Fact]
    public void Decode_FrameStartedTransientFinishedDonated_GetsItsOwnCopy()
    {
        var decoder = FrameFormat.LengthPrefixed(1).CreateDecoder();
        var sink = new CollectingSink();
        var input = Bytes.Frame(1, Bytes.Pattern(20, 1), Bytes.Pattern(20, 2));
        decoder.Decode(input[..10], ChunkOwnership.Transient, sink);
        decoder.Decode(input[10..21], ChunkOwnership.Donated, sink);
        var kept = sink.Packets[0];

        // The second frame goes through the transient scratch buffer; the kept one must not change.
        decoder.Decode(input[21..30], ChunkOwnership.Transient, new CollectingSink(copy: true));
        decoder.Decode(input[30..], ChunkOwnership.Transient, new CollectingSink(copy: true));

        Assert.Equal(Bytes.Pattern(20, 1), kept.Payload.ToArray());
    }

    [Fact]
    public void Decode_DonatedSmallFramesInsideChunk_AllocateNothing()
    {
        var format = FrameFormat.LengthPrefixed(2);
        var chunk = Bytes.Encode(format, Enumerable.Range(0, 200).Select(i => Bytes.Pattern(64, i)));
        var decoder = format.CreateDecoder();
        var sink = new CountingSink();
        decoder.Decode(chunk, ChunkOwnership.Donated, sink);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            decoder.Decode(chunk, ChunkOwnership.Donated, sink);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2200, sink.Count);
    }

    [Fact]
    public void Decode_TransientLinesAcrossChunks_AllocateNothingOnceWarm()
    {
        var decoder = FrameFormat.Line(64).CreateDecoder();
        var sink = new CountingSink();
        var chunk = Bytes.Ascii(string.Concat(Enumerable.Repeat("hello world, a line of text\r\n", 40)))[..1000];
        decoder.Decode(chunk, ChunkOwnership.Transient, sink);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            decoder.Decode(chunk, ChunkOwnership.Transient, sink);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink.Count > 300);
    }

    private static (FrameFormat Format, byte[] Chunk, string[] Expected) Sample(string kind) => kind switch
    {
        "packet" => (FrameFormat.LengthPrefixed(1), Bytes.Frame(1, Bytes.Ascii("ab"), Bytes.Ascii("cde")), ["ab", "cde"]),
        "line" => (FrameFormat.Line(4), Bytes.Ascii("ab\r\nabcdef\n"), ["ab", "abcd", "ef"]),
        _ => (FrameFormat.Stream, Bytes.Ascii("xyz"), ["xyz"]),
    };

    private sealed class DelegateSink(Action<Packet> onPacket) : IPacketSink
    {
        public void OnPacket(Packet packet) => onPacket(packet);
    }

    private sealed class CountingSink : IPacketSink
    {
        public int Count { get; private set; }

        public void OnPacket(Packet packet) => Count++;
    }
}

using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Decoders;

/// <summary>One test per line rule, each also split at every point (the decoder must not care).</summary>
public class LineDecoderTests
{
    [Theory]
    [InlineData("ab\ncd\n", 8, "ab/Eol cd/Eol")]
    [InlineData("ab\r\ncd\r\n", 8, "ab/Eol cd/Eol")]
    [InlineData("a\rb\n", 8, "a\rb/Eol")]
    [InlineData("\n\n\r\n", 8, "/Eol /Eol /Eol")]
    [InlineData("abcdefg\n", 3, "abc/NoEol def/NoEol g/Eol")]
    [InlineData("abc\n", 3, "abc/Eol")]
    [InlineData("abc\r\n", 3, "abc/Eol")]
    [InlineData("abcdef\n", 3, "abc/NoEol def/Eol")]
    [InlineData("abcdef\r\n", 3, "abc/NoEol def/Eol")]
    [InlineData("abcd\n", 3, "abc/NoEol d/Eol")]
    [InlineData("ab\r\r\n", 8, "ab\r/Eol")]
    [InlineData("a\0b\n\0\n", 8, "a\0b/Eol \0/Eol")]
    [InlineData("ab\n", 1, "a/NoEol b/Eol")]
    [InlineData("\r\n", 1, "/Eol")]
    public void Decode_LineRule_GivesPieces(string input, int max, string expected) =>
        AssertPieces(input, max, expected);

    [Theory]
    [InlineData("abc\nde", 8, "abc/Eol de/NoEol")]
    [InlineData("abcde", 3, "abc/NoEol de/NoEol")]
    [InlineData("abc", 3, "abc/NoEol")]
    [InlineData("ab\r", 8, "ab\r/NoEol")]
    [InlineData("\r", 8, "\r/NoEol")]
    [InlineData("", 8, "")]
    [InlineData("ab\n", 8, "ab/Eol")]
    public void Complete_UnterminatedTail_IsNoEol(string input, int max, string expected) =>
        AssertPieces(input, max, expected);

    [Fact]
    public void Complete_LBytesThenCrThenEnd_GivesNoEolPieceThenCrAsData() =>
        AssertPieces("abc\r", 3, "abc/NoEol \r/NoEol");

    [Fact]
    public void Decode_LBytesThenCrThenOtherByte_CrStartsTheNextPiece() =>
        AssertPieces("abc\rx\n", 3, "abc/NoEol \rx/Eol");

    [Fact]
    public void Decode_LBytesThenCrThenOtherByteThenMore_CrCountsTowardTheNextPiece() =>
        AssertPieces("abc\rxyz\n", 3, "abc/NoEol \rxy/NoEol z/Eol");

    [Fact]
    public void Decode_CrAndLfInDifferentChunks_CrRemoved()
    {
        var decoder = FrameFormat.Line(3).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(Bytes.Ascii("abc\r"), ChunkOwnership.Borrowed, sink);
        Assert.Empty(sink.Packets);
        Assert.Equal(4, decoder.BufferedBytes);
        decoder.Decode(Bytes.Ascii("\n"), ChunkOwnership.Borrowed, sink);
        Assert.Equal("abc/Eol", Describe(sink.Packets));
        Assert.Equal(0, decoder.BufferedBytes);
    }

    [Fact]
    public void Decode_ExactlyLBytes_HeldUntilTheNextByte()
    {
        var decoder = FrameFormat.Line(3).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(Bytes.Ascii("abc"), ChunkOwnership.Borrowed, sink);
        Assert.Empty(sink.Packets);
        decoder.Decode(Bytes.Ascii("d"), ChunkOwnership.Borrowed, sink);
        Assert.Equal("abc/NoEol", Describe(sink.Packets));
    }

    [Fact]
    public void Line_DefaultLength_Is512()
    {
        Assert.Equal(512, FrameFormat.Line().MaxLineLength);
        AssertPieces(new string('x', 513) + "\n", 512, new string('x', 512) + "/NoEol x/Eol", FrameFormat.Line());
    }

    [Fact]
    public void Decode_AfterComplete_StartsAFreshStream()
    {
        var decoder = FrameFormat.Line(8).CreateDecoder();
        var sink = new CollectingSink();
        decoder.Decode(Bytes.Ascii("ab\r"), ChunkOwnership.Borrowed, sink);
        decoder.Complete(sink);
        decoder.Decode(Bytes.Ascii("\ncd\n"), ChunkOwnership.Borrowed, sink);
        Assert.Equal("ab\r/NoEol /Eol cd/Eol", Describe(sink.Packets));
    }

    private static void AssertPieces(string input, int max, string expected, FrameFormat? format = null)
    {
        format ??= FrameFormat.Line(max);
        var bytes = Bytes.Ascii(input);
        foreach (var ownership in new[] { ChunkOwnership.Borrowed, ChunkOwnership.Donated, ChunkOwnership.Transient })
        {
            Assert.Equal(expected, Describe(Feed.Decode(format, bytes, ownership)));
            Assert.Equal(expected, Describe(Feed.Decode(format, bytes, Feed.Repeat(1), ownership)));
            for (var at = 0; at <= bytes.Length; at++)
            {
                Assert.Equal(expected, Describe(Feed.Decode(format, bytes, Feed.SplitAt(at), ownership)));
            }
        }
    }

    private static string Describe(IEnumerable<Packet> packets) =>
        string.Join(" ", packets.Select(p => $"{Bytes.Text(p)}/{p.Line}"));
}

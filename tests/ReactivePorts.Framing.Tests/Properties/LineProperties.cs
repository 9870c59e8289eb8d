using CsCheck;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Properties;

/// <summary>The streaming line decoder agrees with <see cref="LineModel"/> on every input and split.</summary>
public class LineProperties
{
    private static readonly ChunkOwnership[] Ownerships = [ChunkOwnership.Borrowed, ChunkOwnership.Donated, ChunkOwnership.Transient];

    // Inputs dense in the bytes that matter: \n, \r, NUL, and a little ordinary data.
    private static readonly Gen<byte[]> Input = Gen.Frequency(
        (3, (byte)'\n'), (3, (byte)'\r'), (1, (byte)0), (4, (byte)'a'), (3, (byte)'b')).Array[0, 120];

    [Fact]
    public void Decode_RandomInputsAndSplits_MatchesTheModel()
    {
        var chunkSizes = Gen.Int[1, 12].Array[1, 20];
        Gen.Select(Input, Gen.Int[1, 9], chunkSizes).Sample((input, max, sizes) =>
        {
            var format = FrameFormat.Line(max);
            var expected = LineModel.Pieces(input, max);
            foreach (var ownership in Ownerships)
            {
                var cycled = Enumerable.Repeat(sizes, input.Length + 1).SelectMany(s => s);
                Assert.Equal(expected, Feed.Decode(format, input, cycled, ownership));
                Assert.Equal(expected, Feed.Decode(format, input, Feed.Repeat(1), ownership));
                Assert.Equal(expected, Feed.Decode(format, input, ownership));
            }
        }, iter: 300);
    }

    [Fact]
    public void Decode_EverySingleSplitPoint_MatchesTheModel()
    {
        Gen.Select(Input, Gen.Int[1, 6]).Sample((input, max) =>
        {
            var format = FrameFormat.Line(max);
            var expected = LineModel.Pieces(input, max);
            foreach (var ownership in Ownerships)
            {
                for (var at = 0; at <= input.Length; at++)
                {
                    Assert.Equal(expected, Feed.Decode(format, input, Feed.SplitAt(at), ownership));
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void LineModel_KnownInput_GivesTheDocumentedPieces()
    {
        // Guards the reference itself, so the properties above compare against the right thing.
        var pieces = LineModel.Pieces(Bytes.Ascii("abcd\r\n\nab\r\rxy"), 3);
        Assert.Equal(
            ["abc/NoEol", "d/Eol", "/Eol", "ab\r/NoEol", "\rxy/NoEol"],
            pieces.Select(p => $"{Bytes.Text(p)}/{p.Line}"));
    }
}

using CsCheck;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Properties;

/// <summary>decode(encode(frames)) == frames for every header size, ownership and split of the bytes.</summary>
public class RoundTripProperties
{
    private static readonly ChunkOwnership[] Ownerships = [ChunkOwnership.Borrowed, ChunkOwnership.Donated, ChunkOwnership.Transient];

    public static TheoryData<int> HeaderSizes => [1, 2, 4];

    [Theory]
    [MemberData(nameof(HeaderSizes))]
    public void Decode_RandomFramesAndRandomSplits_ReturnsTheFrames(int headerSize)
    {
        var format = FrameFormat.LengthPrefixed(headerSize);
        var maxPayload = headerSize == 1 ? 255 : 700;

        // Mostly small frames (many per chunk, headers split often), some large ones (spanning chunks).
        var payload = Gen.Frequency(
            (3, Gen.Byte.Array[0, 8]),
            (2, Gen.Byte.Array[0, 64]),
            (1, Gen.Byte.Array[0, maxPayload]));
        var frames = payload.List[0, 12];
        var chunkSizes = Gen.Frequency((3, Gen.Int[1, 8]), (1, Gen.Int[1, 300])).Array[1, 40];

        Gen.Select(frames, chunkSizes).Sample((list, sizes) =>
        {
            var input = Bytes.Encode(format, list);
            var expected = list.Select(p => new Packet(p)).ToList();
            foreach (var ownership in Ownerships)
            {
                // Cycle the random sizes so any input length is covered.
                var cycled = Enumerable.Repeat(sizes, (input.Length / sizes.Length) + 1).SelectMany(s => s);
                Assert.Equal(expected, Feed.Decode(format, input, cycled, ownership));
                Assert.Equal(expected, Feed.Decode(format, input, Feed.Repeat(1), ownership));
                Assert.Equal(expected, Feed.Decode(format, input, ownership));
            }
        }, iter: 150);
    }

    [Theory]
    [MemberData(nameof(HeaderSizes))]
    public void Decode_EverySingleSplitPoint_ReturnsTheFrames(int headerSize)
    {
        var format = FrameFormat.LengthPrefixed(headerSize);
        var frames = Gen.Byte.Array[0, 40].List[0, 6];

        frames.Sample(list =>
        {
            var input = Bytes.Encode(format, list);
            Assert.True(input.Length < 1024);
            var expected = list.Select(p => new Packet(p)).ToList();
            foreach (var ownership in Ownerships)
            {
                for (var at = 0; at <= input.Length; at++)
                {
                    Assert.Equal(expected, Feed.Decode(format, input, Feed.SplitAt(at), ownership));
                }
            }
        }, iter: 60);
    }

    [Theory]
    [MemberData(nameof(HeaderSizes))]
    public void Encode_RandomFrames_MatchesHandWrittenFraming(int headerSize)
    {
        var format = FrameFormat.LengthPrefixed(headerSize);
        Gen.Byte.Array[0, 255].List[0, 8].Sample(list =>
            Assert.Equal(Bytes.Frame(headerSize, [.. list]), Bytes.Encode(format, list)), iter: 100);
    }
}

using CsCheck;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Properties;

/// <summary>
/// Every decoder fed random and adversarial bytes, in random splits and every ownership: it never
/// throws anything but the documented <see cref="FramingException"/>s (<see cref="PacketTooLargeException"/>
/// while decoding, <see cref="TruncatedFrameException"/> at the end), never delivers a packet over
/// its limit, never delivers a byte it was not given, and never allocates beyond the configured
/// maximum packet size (plus the input it was handed).
/// </summary>
[Trait("Category", "Reliability")]
public class HostileInputProperties
{
    private static readonly ChunkOwnership[] Ownerships = [ChunkOwnership.Borrowed, ChunkOwnership.Donated, ChunkOwnership.Transient];

    // Bytes that matter to some decoder: header bytes at the extremes, line ends, NUL, and anything.
    private static readonly Gen<byte[]> Hostile = Gen.Frequency(
        (4, Gen.Byte),
        (2, Gen.Const((byte)0xFF)),
        (2, Gen.Const((byte)0x00)),
        (1, Gen.Const((byte)0x7F)),
        (1, Gen.Const((byte)0x80)),
        (2, Gen.Const((byte)'\n')),
        (1, Gen.Const((byte)'\r'))).Array[0, 600];

    private static readonly Gen<int[]> Splits = Gen.Frequency((3, Gen.Int[1, 7]), (1, Gen.Int[1, 700])).Array[1, 30];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void LengthPrefixed_RandomBytes_OnlyDocumentedErrors_NoPacketOverTheLimit(int headerSize)
    {
        Gen.Select(Hostile, Gen.Int[0, 300], Splits, Gen.Bool).Sample((input, max, splits, discard) =>
        {
            var format = FrameFormat.LengthPrefixed(headerSize, max)
                .WithTruncatedFrames(discard ? TruncatedFrameHandling.Discard : TruncatedFrameHandling.Throw);
            foreach (var ownership in Ownerships)
            {
                var (packets, error) = Run(format, input, splits, ownership);
                Assert.All(packets, p => Assert.InRange(p.Length, 0, max));
                Assert.True(packets.Sum(p => (long)p.Length + headerSize) <= input.Length, "more bytes out than in");
                switch (error)
                {
                    case null: break;
                    case PacketTooLargeException tooLarge:
                        Assert.Equal(max, tooLarge.Limit);
                        Assert.True(tooLarge.AnnouncedSize > max, $"announced {tooLarge.AnnouncedSize}, limit {max}");
                        break;
                    case TruncatedFrameException truncated:
                        Assert.False(discard, "a truncated frame was thrown although discarding was asked for");
                        Assert.True(truncated.ReceivedBytes < truncated.ExpectedBytes);
                        break;
                    default:
                        Assert.Fail($"undocumented {error.GetType().Name}: {error.Message}");
                        break;
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void Line_RandomBytes_NeverThrows_NoPieceOverTheLimit_NoByteInvented()
    {
        Gen.Select(Hostile, Gen.Int[1, 64], Splits).Sample((input, max, splits) =>
        {
            var format = FrameFormat.Line(max);
            foreach (var ownership in Ownerships)
            {
                var (packets, error) = Run(format, input, splits, ownership);
                Assert.Null(error);
                Assert.All(packets, p => Assert.InRange(p.Length, 0, max));
                Assert.True(packets.Sum(p => (long)p.Length) <= input.Length);
                // Every byte that is not a line end comes out exactly once, in order.
                var expected = input.Where(b => b != (byte)'\n').ToArray();
                var delivered = packets.SelectMany(p => p.Payload.ToArray()).Where(b => b != (byte)'\n').ToArray();
                Assert.Equal(expected.Where(b => b != (byte)'\r'), delivered.Where(b => b != (byte)'\r'));
            }
        }, iter: 2000);
    }

    [Fact]
    public void Stream_RandomBytes_DeliversExactlyTheInput()
    {
        Gen.Select(Hostile, Splits).Sample((input, splits) =>
        {
            foreach (var ownership in Ownerships)
            {
                var (packets, error) = Run(FrameFormat.Stream, input, splits, ownership);
                Assert.Null(error);
                Assert.Equal(input, packets.SelectMany(p => p.Payload.ToArray()));
            }
        }, iter: 1000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void LengthPrefixed_HeaderAnnouncingHuge_ThrowsBeforeAllocatingIt(int headerSize)
    {
        // Announced sizes from just over the limit to the header's largest; the limit from 0 to 1 MiB.
        Gen.Select(Gen.Int[0, 1 << 20], Gen.Long[1, long.MaxValue], Gen.Int[1, headerSize]).Sample((max, over, firstChunk) =>
        {
            long largest = headerSize == 4 ? uint.MaxValue : (1L << (8 * headerSize)) - 1;
            if (max >= largest) return;
            long announced = max + 1 + (over % (largest - max));
            var header = new byte[headerSize];
            for (int i = 0; i < headerSize; i++) header[headerSize - 1 - i] = (byte)(announced >> (8 * i));
            var decoder = FrameFormat.LengthPrefixed(headerSize, max).CreateDecoder();
            var sink = new CollectingSink(copy: false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<PacketTooLargeException>(() =>
            {
                decoder.Decode(header.AsMemory(0, firstChunk), ChunkOwnership.Borrowed, sink);
                decoder.Decode(header.AsMemory(firstChunk), ChunkOwnership.Borrowed, sink);
            });
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(announced, error.AnnouncedSize);
            Assert.Equal(max, error.Limit);
            Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for a refused frame of {announced}");
        }, iter: 500);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void LengthPrefixed_RandomBytes_AllocatesNoMoreThanTheLimitAndTheInput(int headerSize)
    {
        Gen.Select(Hostile, Gen.Int[0, 100_000], Splits).Sample((input, max, splits) =>
        {
            var format = FrameFormat.LengthPrefixed(headerSize, max);
            long before = GC.GetAllocatedBytesForCurrentThread();
            // Feed without the test's own copies (Feed copies chunks): slices of the input, borrowed.
            var decoder = format.CreateDecoder();
            var sink = new CountingSink();
            try
            {
                int pos = 0;
                foreach (int size in Cycle(splits))
                {
                    if (pos >= input.Length) break;
                    int n = Math.Min(size, input.Length - pos);
                    decoder.Decode(input.AsMemory(pos, n), ChunkOwnership.Borrowed, sink);
                    pos += n;
                }
                decoder.Complete(sink);
            }
            catch (FramingException)
            {
                // Documented; the allocation bound holds either way.
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // A frame's buffer is taken when its header arrives (as Erlang does), so a header alone may
            // cost up to the limit: the bound is the limit, not the bytes that follow.
            long bound = max + 2L * input.Length + 16 * 1024;
            Assert.True(allocated <= bound, $"{allocated} bytes allocated for {input.Length} input bytes, limit {max}");
        }, iter: 1000);
    }

    private static (List<Packet> Packets, Exception? Error) Run(FrameFormat format, byte[] input, int[] splits, ChunkOwnership ownership)
    {
        var packets = new List<Packet>();
        try
        {
            packets = Feed.Decode(format, input, Cycle(splits), ownership);
            return (packets, null);
        }
        catch (Exception ex)
        {
            return (packets, ex);
        }
    }

    private static IEnumerable<int> Cycle(int[] sizes)
    {
        while (true)
        {
            foreach (int size in sizes) yield return size;
        }
    }

    private sealed class CountingSink : IPacketSink
    {
        public long Bytes { get; private set; }

        public void OnPacket(Packet packet) => Bytes += packet.Length;
    }
}

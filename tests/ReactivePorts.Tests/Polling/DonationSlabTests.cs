using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

/// <summary>
/// The loop's donation slabs: every read gets the space it asks for, split over the end of one
/// slab and the start of the next, and no byte given away is ever handed out again.
/// </summary>
public sealed class DonationSlabTests
{
    [Fact]
    public void Reads_FillOneSlabThenGoOnIntoTheNext_NeverReusingGivenAwayBytes()
    {
        using var loop = new PollScheduler();
        var given = new List<Memory<byte>>();
        byte mark = 0;
        // Sizes that do not divide 64 KiB, some reads short of what they asked for.
        int[] asks = [65536, 30000, 65536, 70, 65536, 12345];
        int[] reads = [40000, 30000, 65536, 70, 1000, 12345];
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < asks.Length; i++)
            {
                loop.GetDonationSpace(asks[i], out var first, out var second);
                Assert.Equal(asks[i], first.Length + second.Length);
                Assert.True(second.IsEmpty || first.Length < asks[i]);
                int n = reads[i];
                // "Read": mark the bytes, then give them away.
                mark++;
                first.Span[..Math.Min(n, first.Length)].Fill(mark);
                if (n > first.Length) second.Span[..(n - first.Length)].Fill(mark);
                loop.CommitDonation(n);
                var chunk = new List<Memory<byte>> { first[..Math.Min(n, first.Length)] };
                if (n > first.Length) chunk.Add(second[..(n - first.Length)]);
                foreach (var piece in chunk) given.Add(piece);
                // Everything given away so far still holds what was read into it.
                Assert.All(given, piece => Assert.True(piece.Span.IndexOfAnyExcept(piece.Span[0]) < 0));
            }
        }
    }

    [Fact]
    public void EnlargedPipes_AreReadUpToTheRestOfTheSlabPlusOneSlab()
    {
        using var loop = new PollScheduler();
        loop.GetDonationSpace(1 << 20, out var first, out var second);
        Assert.Equal((65536, 65536), (first.Length, second.Length));
        loop.CommitDonation(100);
        loop.GetDonationSpace(1 << 20, out first, out second);
        Assert.Equal((65536 - 100, 65536), (first.Length, second.Length));
        loop.CommitDonation(65536 - 100 + 5);
        loop.GetDonationSpace(10, out first, out second);
        Assert.Equal((10, 0), (first.Length, second.Length));
        // The next slab is the one the last read went on into: the new space follows those 5 bytes.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(first, out var segment));
        Assert.Equal(5, segment.Offset);
    }
}

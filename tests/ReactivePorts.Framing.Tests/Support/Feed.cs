namespace ReactivePorts.Framing.Tests.Support;

/// <summary>
/// Feeds an input to a decoder in given chunk sizes, honouring each ownership's contract the way
/// a strict caller would: Borrowed and Transient chunks live in one buffer that is overwritten
/// after every call (so a payload that still points into it is caught), Donated chunks are fresh
/// arrays never written again. Returns owned copies of what was delivered.
/// </summary>
internal static class Feed
{
    public static List<Packet> Decode(FrameFormat format, byte[] input, IEnumerable<int> chunkSizes, ChunkOwnership ownership, bool complete = true)
    {
        var decoder = format.CreateDecoder();
        var sink = new CollectingSink(copy: ownership == ChunkOwnership.Transient);
        var scratch = new byte[input.Length];
        var pos = 0;
        using var sizes = chunkSizes.GetEnumerator();
        while (pos < input.Length)
        {
            var size = sizes.MoveNext() ? Math.Min(sizes.Current, input.Length - pos) : input.Length - pos;
            var piece = input.AsSpan(pos, size);
            if (ownership == ChunkOwnership.Donated)
            {
                decoder.Decode(piece.ToArray(), ownership, sink);
            }
            else
            {
                piece.CopyTo(scratch);
                decoder.Decode(scratch.AsMemory(0, size), ownership, sink);
                scratch.AsSpan().Fill(0xEE);
            }

            pos += size;
        }

        if (complete)
        {
            decoder.Complete(sink);
        }

        return sink.Packets;
    }

    public static List<Packet> Decode(FrameFormat format, byte[] input, ChunkOwnership ownership = ChunkOwnership.Borrowed) =>
        Decode(format, input, [input.Length], ownership);

    public static IEnumerable<int> Repeat(int size)
    {
        while (true)
        {
            yield return size;
        }
    }

    /// <summary>Two chunks, split at <paramref name="at"/>.</summary>
    public static int[] SplitAt(int at) => [at, int.MaxValue];
}

using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>About 1 MiB of back-to-back frames, cut into 64 KiB chunks as a pipe read loop would see them.</summary>
internal static class FrameInput
{
    public const int TotalBytes = 1024 * 1024;
    public const int ChunkSize = 64 * 1024;

    public static (ReadOnlyMemory<byte>[] Chunks, int Frames) PacketFrames(FrameFormat format, int payloadSize)
    {
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        using var batch = new FrameBatch(format, TotalBytes + 64 * 1024);
        while (batch.Length + format.GetEncodedLength(payloadSize) <= TotalBytes)
        {
            batch.Add(payload);
        }

        return (Cut(batch.WrittenMemory.ToArray()), batch.Count);
    }

    public static (ReadOnlyMemory<byte>[] Chunks, int Lines) TextLines(int lineLength)
    {
        // Printable text, \n-terminated, lineLength bytes per line including the terminator.
        var line = new byte[lineLength];
        for (var i = 0; i < line.Length - 1; i++)
        {
            line[i] = (byte)('a' + (i % 26));
        }

        line[^1] = (byte)'\n';
        var count = TotalBytes / lineLength;
        var bytes = new byte[count * lineLength];
        for (var i = 0; i < count; i++)
        {
            line.CopyTo(bytes, i * lineLength);
        }

        return (Cut(bytes), count);
    }

    private static ReadOnlyMemory<byte>[] Cut(byte[] bytes) =>
        [.. bytes.Chunk(ChunkSize).Select(c => (ReadOnlyMemory<byte>)c)];
}

namespace ReactivePortsPeer;

/// <summary>
/// The deterministic bytes `flood` writes: byte i of the stream is (byte)(i * 31 + 7). 31 is odd, so
/// the pattern has period 256 and every byte value appears; the +7 keeps byte 0 from being 0.
/// Shared with the tests (linked into the test project) so both sides agree.
/// </summary>
internal static class FloodPattern
{
    internal static byte At(long index) => unchecked((byte)(index * 31 + 7));

    /// <summary>Fills <paramref name="buffer"/> with the bytes at positions <paramref name="offset"/>...</summary>
    internal static void Fill(Span<byte> buffer, long offset)
    {
        for (int i = 0; i < buffer.Length; i++) buffer[i] = At(offset + i);
    }

    /// <summary>The index of the first byte of <paramref name="data"/> that breaks the pattern (starting at <paramref name="offset"/>), or -1.</summary>
    internal static long FirstMismatch(ReadOnlySpan<byte> data, long offset = 0)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != At(offset + i)) return offset + i;
        }
        return -1;
    }
}

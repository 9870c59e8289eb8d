namespace ReactivePorts.Framing;

/// <summary>Allocates the array for encoded bytes, refusing sizes no array can have.</summary>
internal static class EncodedArray
{
    public static byte[] Allocate(long length)
    {
        if (length > Array.MaxLength)
        {
            // An ArgumentException, like the encoder's own size refusals, rather than an out-of-memory.
            throw new ArgumentException($"The encoded data would be {length} bytes, over the largest array of {Array.MaxLength} bytes.", "payload");
        }

        // Every byte is written by the encoder before the array is seen.
        return GC.AllocateUninitializedArray<byte>((int)length);
    }

    /// <summary>
    /// Encodes <paramref name="payloads"/> back to back into one exactly-sized array, through a
    /// reused <paramref name="writer"/> (the shared core of the Rx Encode operators).
    /// </summary>
    /// <exception cref="ArgumentException">A payload is over the format's limit, or the total over the largest array.</exception>
    public static byte[] Encode(FrameFormat format, IReadOnlyList<ReadOnlyMemory<byte>> payloads, FixedBufferWriter writer)
    {
        long total = 0;
        for (int i = 0; i < payloads.Count; i++) total += format.GetEncodedLength(payloads[i].Length);
        var encoded = Allocate(total);
        writer.Reset(encoded);
        try
        {
            for (int i = 0; i < payloads.Count; i++) format.Encode(payloads[i].Span, writer);
        }
        finally
        {
            writer.Reset([]);
        }
        return encoded;
    }
}

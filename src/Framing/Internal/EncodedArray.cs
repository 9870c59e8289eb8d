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
}

namespace ReactivePorts.Reliability.Tests.Invariants;

/// <summary>
/// The seeded byte stream the C writer (Native/rpwriter.c) and the soak produce: SplitMix64 outputs,
/// each little-endian. Both sides generate it from the seed alone, so every received byte is
/// checked against the byte that was written at that offset, whatever the chunking.
/// </summary>
public struct ByteStream(ulong seed)
{
    private ulong _state = seed;
    private ulong _word;
    private int _left;

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the stream.</summary>
    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            if (_left == 0)
            {
                _word = Next(ref _state);
                _left = 8;
            }
            destination[i] = (byte)_word;
            _word >>= 8;
            _left--;
        }
    }

    /// <summary>The first <paramref name="count"/> bytes of the stream of <paramref name="seed"/>.</summary>
    public static byte[] Prefix(ulong seed, int count)
    {
        var bytes = new byte[count];
        new ByteStream(seed).Fill(bytes);
        return bytes;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Checks received bytes against the seeded stream as they arrive (any split), without keeping
/// them: the count, the first wrong offset, and a running FNV-1a checksum for the report.
/// Thread-safe for one writer at a time (the loop delivers one port's packets in order).
/// </summary>
public sealed class StreamVerifier(ulong seed)
{
    private readonly object _gate = new();
    private ByteStream _expected = new(seed);
    private byte[] _scratch = new byte[4096];
    private long _count;
    private long _firstMismatch = -1;
    private ulong _checksum = 0xCBF29CE484222325UL;

    /// <summary>The bytes received so far.</summary>
    public long Count { get { lock (_gate) return _count; } }

    /// <summary>The offset of the first byte that differed from the stream, or -1.</summary>
    public long FirstMismatch { get { lock (_gate) return _firstMismatch; } }

    /// <summary>FNV-1a over every byte received.</summary>
    public ulong Checksum { get { lock (_gate) return _checksum; } }

    /// <summary>Checks the next received bytes.</summary>
    public void Add(ReadOnlySpan<byte> received)
    {
        lock (_gate)
        {
            if (_scratch.Length < received.Length) _scratch = new byte[received.Length];
            var expected = _scratch.AsSpan(0, received.Length);
            _expected.Fill(expected);
            if (_firstMismatch < 0 && !received.SequenceEqual(expected))
                _firstMismatch = _count + received.CommonPrefixLength(expected);
            foreach (byte b in received) _checksum = (_checksum ^ b) * 0x100000001B3UL;
            _count += received.Length;
        }
    }

    /// <summary>FNV-1a of the first <paramref name="count"/> bytes of the stream of <paramref name="seed"/>.</summary>
    public static ulong ExpectedChecksum(ulong seed, long count)
    {
        var stream = new ByteStream(seed);
        Span<byte> buffer = stackalloc byte[4096];
        ulong checksum = 0xCBF29CE484222325UL;
        while (count > 0)
        {
            var part = buffer[..(int)Math.Min(buffer.Length, count)];
            stream.Fill(part);
            foreach (byte b in part) checksum = (checksum ^ b) * 0x100000001B3UL;
            count -= part.Length;
        }
        return checksum;
    }

    /// <summary>Why the bytes received are not exactly the first <paramref name="total"/> bytes of the stream, or null.</summary>
    public string? Mismatch(long total)
    {
        lock (_gate)
        {
            if (_firstMismatch >= 0) return $"byte {_firstMismatch} differs from the stream of seed {seed}";
            if (_count != total) return $"{_count} bytes received, {total} written (seed {seed})";
            return null;
        }
    }
}

namespace ReactivePorts.Polling;

public sealed partial class PollScheduler
{
    private byte[] _readBuffer = [];

    /// <summary>
    /// The loop's read buffer, at least <paramref name="size"/> bytes, shared by every port on the
    /// loop (loop thread only). Reads on one loop never overlap, and what is read into it is consumed
    /// (decoded, copied, or delivered transiently) before the next read, so one buffer per loop serves
    /// all its ports: an idle port holds no read buffer.
    /// </summary>
    internal byte[] GetReadBuffer(int size)
    {
        if (_readBuffer.Length < size) _readBuffer = GC.AllocateUninitializedArray<byte>(size);
        return _readBuffer;
    }

    // The donation slab: reads whose bytes are given away (owned delivery) go into it one after
    // another, so a payload is a slice of the read (no copy when a whole read fits the slab), and a
    // slab serves many small reads. Under the large-object threshold, so slabs die young in gen0.
    private const int SlabSize = 64 * 1024;
    private byte[]? _slab;
    private int _slabUsed;

    /// <summary>
    /// Where to read up to <paramref name="max"/> bytes that will be donated (loop thread), straight
    /// into the slab, when that can take a whole read: the rest of the current slab if <paramref name="max"/>
    /// fits, or a fresh slab when the current one is more than half used. Otherwise false: read into
    /// the shared buffer and <see cref="Donate"/> a copy, so a read is never cut short by a slab's end
    /// (a read's size decides how a stream is buffered, and a reader that pauses relies on it).
    /// After a direct read, <see cref="CommitDonation"/> what was read: those bytes are never written again.
    /// </summary>
    internal bool TryGetDonationSpace(int max, out Memory<byte> space)
    {
        space = default;
        if (max > SlabSize)
        {
            // Enlarged pipes: reads are taken a slab (or at least half of one) at a time, straight
            // into it, rather than copied out of a read buffer into large-object arrays.
            if (_slab is null || SlabSize - _slabUsed < SlabSize / 2)
            {
                _slab = GC.AllocateUninitializedArray<byte>(SlabSize);
                _slabUsed = 0;
            }
            space = _slab.AsMemory(_slabUsed);
            return true;
        }
        if (_slab is null || SlabSize - _slabUsed < max)
        {
            if (_slab is not null && SlabSize - _slabUsed >= SlabSize / 2) return false;
            _slab = GC.AllocateUninitializedArray<byte>(SlabSize);
            _slabUsed = 0;
        }
        space = _slab.AsMemory(_slabUsed, max);
        return true;
    }

    /// <summary>Marks <paramref name="count"/> bytes of the space last returned as given away.</summary>
    internal void CommitDonation(int count) => _slabUsed += count;

    /// <summary>Copies <paramref name="bytes"/> into the rest of the slab, or into an array of their own when they do not fit (the slab is kept for later reads), and gives the copy away.</summary>
    internal ReadOnlyMemory<byte> Donate(ReadOnlySpan<byte> bytes)
    {
        if (_slab is null || SlabSize - _slabUsed < bytes.Length)
        {
            var own = GC.AllocateUninitializedArray<byte>(bytes.Length);
            bytes.CopyTo(own);
            return own;
        }
        var copy = _slab.AsMemory(_slabUsed, bytes.Length);
        bytes.CopyTo(copy.Span);
        _slabUsed += bytes.Length;
        return copy;
    }
}

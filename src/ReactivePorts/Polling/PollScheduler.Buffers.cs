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
    // another, so a payload is a slice of the read, and a slab serves many small reads. A read that
    // does not fit the rest of the slab goes on into the next one (readv with both), so no read is
    // ever copied or cut short. Under the large-object threshold, so slabs die young in gen0.
    private const int SlabSize = 64 * 1024;
    private byte[]? _slab;
    private int _slabUsed;
    private byte[]? _nextSlab; // where a read that overflows the slab continues; kept while reads fit the slab

    /// <summary>
    /// Where to read up to <paramref name="max"/> bytes that will be donated (loop thread): the rest
    /// of the current slab, and when that is shorter than <paramref name="max"/>, the start of the
    /// next slab as well (<paramref name="second"/>, empty otherwise; at most one slab, so enlarged
    /// pipes are read a slab or more at a time). Read into both in order, then
    /// <see cref="CommitDonation"/> what was read: those bytes are never written again.
    /// </summary>
    internal void GetDonationSpace(int max, out Memory<byte> first, out Memory<byte> second)
    {
        if (_slab is null || _slabUsed == SlabSize)
        {
            _slab = _nextSlab ?? GC.AllocateUninitializedArray<byte>(SlabSize);
            _nextSlab = null;
            _slabUsed = 0;
        }
        int rest = SlabSize - _slabUsed;
        if (rest >= max)
        {
            first = _slab.AsMemory(_slabUsed, max);
            second = default;
            return;
        }
        first = _slab.AsMemory(_slabUsed, rest);
        _nextSlab ??= GC.AllocateUninitializedArray<byte>(SlabSize);
        second = _nextSlab.AsMemory(0, Math.Min(max - rest, SlabSize));
    }

    /// <summary>Marks the first <paramref name="count"/> bytes of the space last returned as given away.</summary>
    internal void CommitDonation(int count)
    {
        int rest = SlabSize - _slabUsed;
        if (count <= rest)
        {
            _slabUsed += count;
            return;
        }
        _slab = _nextSlab;
        _nextSlab = null;
        _slabUsed = count - rest;
    }
}

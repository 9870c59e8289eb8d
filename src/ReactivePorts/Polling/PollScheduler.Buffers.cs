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

    // The donation slab: reads whose bytes are given away (owned delivery) go straight into it, one
    // after another, so a payload is a slice of the read with no copy, and a slab serves many small
    // reads. Under the large-object threshold, so slabs die young in gen0.
    private const int SlabSize = 64 * 1024;
    private const int MinSlabRead = 16 * 1024;
    private byte[]? _slab;
    private int _slabUsed;

    /// <summary>
    /// Where to read up to <paramref name="max"/> bytes that will be donated (loop thread): the rest
    /// of the current slab, or a fresh one when less than 16 KiB (or <paramref name="max"/>) is left.
    /// Call <see cref="CommitDonation"/> with what was read: those bytes are never written again.
    /// </summary>
    internal Memory<byte> GetDonationSpace(int max)
    {
        if (_slab is null || SlabSize - _slabUsed < Math.Min(max, MinSlabRead))
        {
            _slab = GC.AllocateUninitializedArray<byte>(SlabSize);
            _slabUsed = 0;
        }
        return _slab.AsMemory(_slabUsed, Math.Min(max, SlabSize - _slabUsed));
    }

    /// <summary>Marks <paramref name="count"/> bytes of the space last returned as given away.</summary>
    internal void CommitDonation(int count) => _slabUsed += count;
}

namespace ReactivePorts.Framing;

/// <summary>Assembling a frame that spans chunks.</summary>
internal sealed partial class LengthPrefixDecoder
{
    /// <summary>
    /// Transient mode assembles frames up to this size in one reused buffer, so zero-copy decoding
    /// allocates nothing in the steady state. Larger frames get their own array, which is not kept,
    /// so one huge frame does not pin its memory for the decoder's lifetime.
    /// </summary>
    internal const int ScratchLimit = 1024 * 1024;

    // The frame being assembled: exactly _frameLength bytes (or the scratch buffer, when Transient).
    private byte[]? _frame;
    private int _frameFill;
    private int _frameLength;
    private byte[]? _scratch;

    private void BeginFrame(int length, ReadOnlySpan<byte> start, ChunkOwnership ownership)
    {
        byte[] buffer;
        if (ownership == ChunkOwnership.Transient && length <= ScratchLimit)
        {
            if (_scratch is null || _scratch.Length < length)
            {
                // Round up so a stream of slightly growing frames does not reallocate each time.
                _scratch = GC.AllocateUninitializedArray<byte>((int)Math.Min(ScratchLimit, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length)));
            }

            buffer = _scratch;
        }
        else
        {
            // Every byte is written before the array is seen, so zeroing it would be wasted work.
            buffer = GC.AllocateUninitializedArray<byte>(length);
        }

        start.CopyTo(buffer);
        _frame = buffer;
        _frameFill = start.Length;
        _frameLength = length;
    }

    public override Memory<byte> GetAssemblySpace() =>
        _frame is { } frame ? frame.AsMemory(_frameFill, _frameLength - _frameFill) : Memory<byte>.Empty;

    private protected override void OnAssembled(int count, ChunkOwnership ownership, IPacketSink sink)
    {
        _frameFill += count;
        if (_frameFill == _frameLength)
        {
            DeliverFrame(ownership, sink);
        }
    }

    /// <summary>Adds the chunk's first bytes to the frame being assembled; delivers it when complete. Returns the bytes used.</summary>
    private int ContinueFrame(ReadOnlySpan<byte> span, ChunkOwnership ownership, IPacketSink sink)
    {
        var frame = _frame!;
        var n = Math.Min(_frameLength - _frameFill, span.Length);
        span[..n].CopyTo(frame.AsSpan(_frameFill));
        _frameFill += n;
        if (_frameFill == _frameLength)
        {
            DeliverFrame(ownership, sink);
        }

        return n;
    }

    /// <summary>Delivers the frame just completed and forgets it.</summary>
    private void DeliverFrame(ChunkOwnership ownership, IPacketSink sink)
    {
        var frame = _frame!;
        var length = _frameLength;
        ResetFrame();

        ReadOnlyMemory<byte> payload;
        if (!ReferenceEquals(frame, _scratch))
        {
            payload = frame;
        }
        else if (ownership == ChunkOwnership.Transient)
        {
            payload = new ReadOnlyMemory<byte>(frame, 0, length);
        }
        else
        {
            // Started in Transient mode but finished in an owning mode: the scratch buffer will be
            // reused, so the receiver needs its own copy.
            payload = frame.AsSpan(0, length).ToArray();
        }

        sink.OnPacket(new Packet(payload));
    }

    private void ResetFrame()
    {
        _frame = null;
        _frameFill = 0;
        _frameLength = 0;
    }
}

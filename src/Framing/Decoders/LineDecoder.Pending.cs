namespace ReactivePorts.Framing;

/// <summary>The start of a line that continues in a later chunk.</summary>
internal sealed partial class LineDecoder
{
    // At most L bytes of the current piece, plus whether a \r followed them at the end of the last chunk.
    private byte[]? _pending;
    private int _pendingLength;
    private bool _pendingCr;

    /// <summary>Appends to the pending piece; the caller guarantees it stays within L bytes.</summary>
    private void AppendPending(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var needed = _pendingLength + data.Length;
        if (_pending is null || _pending.Length < needed)
        {
            Grow(needed);
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    /// <summary>Delivers the pending piece and empties it.</summary>
    private void DeliverPending(LineEnding line, ChunkOwnership ownership, IPacketSink sink)
    {
        var length = _pendingLength;
        _pendingLength = 0;

        // The buffer is reused for the next piece, so only a transient receiver may see it directly.
        var payload = length == 0
            ? ReadOnlyMemory<byte>.Empty
            : ownership == ChunkOwnership.Transient
                ? new ReadOnlyMemory<byte>(_pending, 0, length)
                : _pending.AsSpan(0, length).ToArray();
        sink.OnPacket(new Packet(payload, line));
    }

    /// <summary>
    /// Grows the pending buffer, doubling up to L. A line's length is unknown until its newline, so
    /// the buffer cannot be sized exactly; doubling bounds the copying, and L bounds the size.
    /// </summary>
    private void Grow(int needed)
    {
        var current = _pending?.Length ?? 0;
        var size = Math.Max(needed, Math.Min(_maxLength, Math.Max(256, current * 2)));
        var grown = new byte[size];
        _pending.AsSpan(0, _pendingLength).CopyTo(grown);
        _pending = grown;
    }
}

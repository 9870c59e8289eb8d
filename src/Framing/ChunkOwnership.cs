namespace ReactivePorts.Framing;

/// <summary>
/// Who owns the memory of a chunk handed to
/// <see cref="FrameDecoder.Decode(ReadOnlyMemory{byte}, ChunkOwnership, IPacketSink)"/>, and so
/// whether the payloads it delivers may point into that chunk.
/// </summary>
public enum ChunkOwnership
{
    /// <summary>
    /// The caller may reuse the chunk's memory as soon as <c>Decode</c> returns. Every delivered
    /// payload is a copy that belongs to the receiver (at most one allocation per packet).
    /// </summary>
    Borrowed = 0,

    /// <summary>
    /// The caller gives the chunk away and never writes its memory again. Payloads of frames that
    /// lie inside the chunk are slices of it (no allocation); the receiver may keep them.
    /// </summary>
    Donated = 1,

    /// <summary>
    /// Explicit zero-copy: payloads may be slices of the chunk or of the decoder's own buffer and
    /// are valid only during <see cref="IPacketSink.OnPacket"/>; a receiver that keeps one must copy
    /// it. The decoder still copies whatever it must keep across calls.
    /// </summary>
    Transient = 2,
}

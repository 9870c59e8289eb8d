namespace ReactivePorts.Framing;

/// <summary>
/// Receives the packets a <see cref="FrameDecoder"/> decodes, one call per packet, in order.
/// </summary>
/// <remarks>
/// An interface rather than a delegate so the hot path is one interface call per packet with no
/// closure, and so a port can implement it on an object it already has.
/// An exception thrown by <see cref="OnPacket"/> propagates out of the decoder call that delivered
/// the packet and leaves that decoder unusable (see <see cref="FrameDecoder"/>).
/// </remarks>
public interface IPacketSink
{
    /// <summary>Called once per decoded packet.</summary>
    /// <param name="packet">
    /// The packet. Whether its payload may be kept after this call returns depends on the
    /// <see cref="ChunkOwnership"/> passed to <see cref="FrameDecoder.Decode(ReadOnlyMemory{byte}, ChunkOwnership, IPacketSink)"/>.
    /// </param>
    void OnPacket(Packet packet);
}

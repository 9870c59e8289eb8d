namespace ReactivePorts.Framing;

/// <summary>Collects decoded packets so an async iterator can yield them after the decoder call returns.</summary>
internal sealed class PacketQueue : IPacketSink
{
    public List<Packet> Packets { get; } = [];

    public void OnPacket(Packet packet) => Packets.Add(packet);
}

namespace ReactivePorts.Framing.Tests.Support;

/// <summary>Records packets. With <c>copy</c>, payloads are copied during OnPacket (what a transient receiver must do).</summary>
internal sealed class CollectingSink(bool copy = false) : IPacketSink
{
    public List<Packet> Packets { get; } = [];

    public void OnPacket(Packet packet) =>
        Packets.Add(copy ? new Packet(packet.Payload.ToArray(), packet.Line) : packet);
}

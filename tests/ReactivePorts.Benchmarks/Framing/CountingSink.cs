using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>Touches every packet so the work cannot be optimized away, and keeps nothing.</summary>
internal sealed class CountingSink : IPacketSink
{
    public long Bytes;
    public int Packets;

    public void OnPacket(Packet packet)
    {
        Packets++;
        Bytes += packet.Length;
    }
}

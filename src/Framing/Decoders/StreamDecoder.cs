namespace ReactivePorts.Framing;

/// <summary>No framing: each non-empty chunk is one packet.</summary>
internal sealed class StreamDecoder : FrameDecoder
{
    public override long BufferedBytes => 0;

    public override void Decode(ReadOnlyMemory<byte> chunk, ChunkOwnership ownership, IPacketSink sink)
    {
        Enter(sink, ownership);

        // An empty chunk carries no data (a zero-byte read is end of input, signalled by Complete).
        if (!chunk.IsEmpty)
        {
            sink.OnPacket(new Packet(ownership == ChunkOwnership.Borrowed ? chunk.ToArray() : chunk));
        }

        Exit();
    }

    public override void Complete(IPacketSink sink)
    {
        Enter(sink, ChunkOwnership.Borrowed);
        Exit();
    }
}

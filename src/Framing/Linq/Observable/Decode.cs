namespace ReactivePorts.Framing;

/// <summary>Chunks to packets with a fresh decoder per subscription. Input chunks are treated as borrowed.</summary>
internal sealed class Decode : Producer<ReadOnlyMemory<byte>, Packet>
{
    private readonly FrameFormat _format;

    public Decode(IObservable<ReadOnlyMemory<byte>> source, FrameFormat format)
        : base(source)
    {
        _format = format;
    }

    protected override Sink<ReadOnlyMemory<byte>, Packet> CreateSink(IObserver<Packet> observer) =>
        new _(_format.CreateDecoder(), observer);

    private sealed class _ : Sink<ReadOnlyMemory<byte>, Packet>, IPacketSink
    {
        private readonly FrameDecoder _decoder;

        // True while the downstream observer runs. It stays true if that observer throws, which
        // both tells the catch below not to take the exception and silences this sink afterwards.
        private bool _delivering;

        public _(FrameDecoder decoder, IObserver<Packet> observer)
            : base(observer)
        {
            _decoder = decoder;
        }

        public override void OnNext(ReadOnlyMemory<byte> value)
        {
            if (_delivering)
            {
                return;
            }

            try
            {
                // Producers may reuse their chunks after OnNext, so every payload must be a copy.
                _decoder.Decode(value, ChunkOwnership.Borrowed, this);
            }
            catch (Exception error) when (!_delivering)
            {
                // Only the decoder's own failure (bad framing) ends the sequence with OnError. An
                // exception from downstream OnNext is not ours to report: it propagates to the producer.
                ForwardOnError(error);
            }
        }

        public override void OnError(Exception error)
        {
            if (!_delivering)
            {
                ForwardOnError(error);
            }
        }

        public override void OnCompleted()
        {
            if (_delivering)
            {
                return;
            }

            try
            {
                _decoder.Complete(this);
            }
            catch (Exception error) when (!_delivering)
            {
                // The input ended inside a frame: report the truncation instead of completing.
                ForwardOnError(error);
                return;
            }

            ForwardOnCompleted();
        }

        void IPacketSink.OnPacket(Packet packet)
        {
            _delivering = true;
            ForwardOnNext(packet);
            _delivering = false;
        }
    }
}

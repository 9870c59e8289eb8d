namespace ReactivePorts.Framing;

/// <summary>Payloads to encoded chunks, one exactly-sized array per payload, emitted at once (never delayed).</summary>
internal sealed class Encode : Producer<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>
{
    private readonly FrameFormat _format;

    public Encode(IObservable<ReadOnlyMemory<byte>> source, FrameFormat format)
        : base(source)
    {
        _format = format;
    }

    protected override Sink<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> CreateSink(IObserver<ReadOnlyMemory<byte>> observer) =>
        new _(_format, observer);

    private sealed class _ : Sink<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>
    {
        private readonly FrameFormat _format;
        private readonly FixedBufferWriter _writer = new();

        public _(FrameFormat format, IObserver<ReadOnlyMemory<byte>> observer)
            : base(observer)
        {
            _format = format;
        }

        public override void OnNext(ReadOnlyMemory<byte> value)
        {
            byte[] encoded;
            try
            {
                encoded = EncodedArray.Encode(_format, [value], _writer);
            }
            catch (ArgumentException error)
            {
                // A payload over the format's limit is bad data for this sequence, not a bad call:
                // end the sequence with the error. Downstream is called outside this try, so its
                // exceptions are never caught here.
                ForwardOnError(error);
                return;
            }

            ForwardOnNext(encoded);
        }
    }
}

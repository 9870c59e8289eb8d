namespace ReactivePorts.Framing;

/// <summary>
/// Batches of payloads (e.g. from Rx's <c>Buffer</c>) to one encoded chunk per batch: small frames
/// are coalesced into one exactly-sized array. Empty batches produce nothing.
/// </summary>
internal sealed class EncodeBatches : Producer<IList<ReadOnlyMemory<byte>>, ReadOnlyMemory<byte>>
{
    private readonly FrameFormat _format;

    public EncodeBatches(IObservable<IList<ReadOnlyMemory<byte>>> source, FrameFormat format)
        : base(source)
    {
        _format = format;
    }

    protected override Sink<IList<ReadOnlyMemory<byte>>, ReadOnlyMemory<byte>> CreateSink(IObserver<ReadOnlyMemory<byte>> observer) =>
        new _(_format, observer);

    private sealed class _ : Sink<IList<ReadOnlyMemory<byte>>, ReadOnlyMemory<byte>>
    {
        private readonly FrameFormat _format;
        private readonly FixedBufferWriter _writer = new();

        public _(FrameFormat format, IObserver<ReadOnlyMemory<byte>> observer)
            : base(observer)
        {
            _format = format;
        }

        public override void OnNext(IList<ReadOnlyMemory<byte>> value)
        {
            if (value is null)
            {
                ForwardOnError(new ArgumentNullException(nameof(value), "A batch of payloads was null."));
                return;
            }

            if (value.Count == 0)
            {
                return;
            }

            byte[] encoded;
            try
            {
                encoded = EncodedArray.Encode(_format, value.AsReadOnly(), _writer);
            }
            catch (ArgumentException error)
            {
                // A payload over the format's limit, or a batch over the largest array, is bad data
                // for this sequence: end it with the error (downstream is called outside this try).
                ForwardOnError(error);
                return;
            }

            ForwardOnNext(encoded);
        }
    }
}

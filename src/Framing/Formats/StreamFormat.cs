namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>stream</c>: no framing at all.</summary>
internal sealed class StreamFormat : UnprefixedFormat
{
    public static readonly StreamFormat Instance = new();

    private StreamFormat()
        : base(int.MaxValue, TruncatedFrameHandling.Throw)
    {
    }

    public override FrameDecoder CreateDecoder() => new StreamDecoder();

    public override string ToString() => "stream";

    // Nothing is ever truncated without framing, so the option has nothing to change.
    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) => this;
}

namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>{line,L}</c>.</summary>
internal sealed class LineFormat : UnprefixedFormat
{
    public LineFormat(int maxLineLength)
        : base(int.MaxValue, TruncatedFrameHandling.Throw, maxLineLength)
    {
    }

    public override FrameDecoder CreateDecoder() => new LineDecoder(MaxLineLength);

    public override string ToString() => $"{{line,{MaxLineLength}}}";

    // An unterminated tail is delivered as a noeol piece, never reported as truncated.
    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) => this;
}

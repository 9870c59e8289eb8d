using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>{line,L}</c>.</summary>
internal sealed class LineFormat : FrameFormat
{
    private readonly int _maxLineLength;

    public LineFormat(int maxLineLength)
        : base(int.MaxValue, TruncatedFrameHandling.Throw)
    {
        _maxLineLength = maxLineLength;
    }

    public override int HeaderSize => 0;

    public override int MaxLineLength => _maxLineLength;

    public override FrameDecoder CreateDecoder() => new LineDecoder(_maxLineLength);

    // Erlang writes line-mode output unchanged: the caller supplies any terminators.
    public override void Encode(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BufferWriterCopy.Write(payload, output);
    }

    public override long GetEncodedLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return payloadLength;
    }

    public override string ToString() => $"{{line,{_maxLineLength}}}";

    // An unterminated tail is delivered as a noeol piece, never reported as truncated.
    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) => this;
}

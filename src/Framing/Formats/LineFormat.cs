using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>{line,L}</c>.</summary>
internal sealed class LineFormat : FrameFormat
{
    public LineFormat(int maxLineLength)
        : base(int.MaxValue, TruncatedFrameHandling.Throw, maxLineLength)
    {
    }

    public override int HeaderSize => 0;

    public override FrameDecoder CreateDecoder() => new LineDecoder(MaxLineLength);

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

    public override string ToString() => $"{{line,{MaxLineLength}}}";

    // An unterminated tail is delivered as a noeol piece, never reported as truncated.
    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) => this;
}

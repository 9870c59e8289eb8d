using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>stream</c>: no framing at all.</summary>
internal sealed class StreamFormat : FrameFormat
{
    public static readonly StreamFormat Instance = new();

    private StreamFormat()
        : base(int.MaxValue, TruncatedFrameHandling.Throw)
    {
    }

    public override int HeaderSize => 0;

    public override FrameDecoder CreateDecoder() => new StreamDecoder();

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

    public override string ToString() => "stream";

    // Nothing is ever truncated without framing, so the option has nothing to change.
    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) => this;
}

using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>
/// Formats that put nothing around a payload on the way out (<c>stream</c>, <c>{line,L}</c>): a
/// payload is written as it is (as Erlang writes line-mode output: the caller supplies any terminators).
/// </summary>
internal abstract class UnprefixedFormat : FrameFormat
{
    private protected UnprefixedFormat(int maxPacketSize, TruncatedFrameHandling truncatedFrames, int maxLineLength = 0)
        : base(maxPacketSize, truncatedFrames, maxLineLength)
    {
    }

    public sealed override int HeaderSize => 0;

    public sealed override void Encode(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BufferWriterCopy.Write(payload, output);
    }

    public sealed override long GetEncodedLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return payloadLength;
    }
}

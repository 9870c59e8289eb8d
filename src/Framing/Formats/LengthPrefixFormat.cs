using System.Buffers;
using System.Buffers.Binary;

namespace ReactivePorts.Framing;

/// <summary>Erlang's <c>{packet,N}</c> with N = 1, 2 or 4: a big-endian unsigned length, then the payload.</summary>
internal sealed class LengthPrefixFormat : FrameFormat
{
    private readonly int _headerSize;

    public LengthPrefixFormat(int headerSize, int maxPacketSize, TruncatedFrameHandling truncatedFrames)
        : base(maxPacketSize, truncatedFrames)
    {
        _headerSize = headerSize;

        // The payload limit is whichever is smaller: what the header can express or the configured
        // maximum. A 4-byte header expresses up to 2^32-1, more than any int, so the maximum rules.
        EncodeLimit = headerSize switch
        {
            1 => Math.Min(byte.MaxValue, maxPacketSize),
            2 => Math.Min(ushort.MaxValue, maxPacketSize),
            _ => maxPacketSize,
        };
    }

    public override int HeaderSize => _headerSize;

    /// <summary>The largest payload <see cref="Encode"/> accepts.</summary>
    public int EncodeLimit { get; }

    public override FrameDecoder CreateDecoder() => new LengthPrefixDecoder(_headerSize, MaxPacketSize, TruncatedFrames);

    public override void Encode(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (payload.Length > EncodeLimit)
        {
            ThrowHelper.ThrowPayloadTooLarge(payload.Length, EncodeLimit, _headerSize, MaxPacketSize);
        }

        var total = _headerSize + payload.Length;
        if (total <= BufferWriterCopy.SingleRequestLimit)
        {
            // The common small frame: one request for header and payload together.
            var span = output.GetSpan(total);
            WriteHeader(span, payload.Length);
            payload.CopyTo(span[_headerSize..]);
            output.Advance(total);
            return;
        }

        WriteHeader(output.GetSpan(_headerSize), payload.Length);
        output.Advance(_headerSize);
        BufferWriterCopy.Write(payload, output);
    }

    public override long GetEncodedLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return (long)_headerSize + payloadLength;
    }

    public override string ToString() => $"{{packet,{_headerSize}}}";

    private protected override FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling) =>
        new LengthPrefixFormat(_headerSize, MaxPacketSize, handling);

    private void WriteHeader(Span<byte> destination, int length)
    {
        switch (_headerSize)
        {
            case 1:
                destination[0] = (byte)length;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length);
                break;
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>
/// Decodes <c>{packet,1|2|4}</c>. Frames that lie inside a chunk are delivered straight from it;
/// a frame that spans chunks is assembled into one array of exactly its size, allocated once its
/// header is known and checked against the maximum.
/// </summary>
internal sealed partial class LengthPrefixDecoder : FrameDecoder
{
    private readonly int _headerSize;
    private readonly int _maxPacketSize;
    private readonly TruncatedFrameHandling _truncatedFrames;

    // A header split across chunks: its bytes so far, accumulated big-endian.
    private int _headerFill;
    private uint _header;

    public LengthPrefixDecoder(int headerSize, int maxPacketSize, TruncatedFrameHandling truncatedFrames)
    {
        _headerSize = headerSize;
        _maxPacketSize = maxPacketSize;
        _truncatedFrames = truncatedFrames;
    }

    public override long BufferedBytes => _headerFill + (_frame is null ? 0 : _frameFill);

    public override void Decode(ReadOnlyMemory<byte> chunk, ChunkOwnership ownership, IPacketSink sink)
    {
        Enter(sink, ownership);
        var span = chunk.Span;
        var pos = 0;

        // Finish whatever an earlier chunk started. Either this consumes the chunk, or the pending
        // frame is done and we fall through to the fast loop at a frame boundary.
        if (_frame is not null)
        {
            pos = ContinueFrame(span, ownership, sink);
        }
        else if (_headerFill != 0)
        {
            pos = ContinueHeader(chunk, span, ownership, sink);
        }

        var headerSize = _headerSize;
        while (span.Length - pos >= headerSize)
        {
            var length = ReadHeader(span, pos);
            pos += headerSize;
            pos = OnHeader(length, chunk, span, pos, ownership, sink);
        }

        // Fewer bytes than a header remain (possibly none): keep them for the next chunk.
        while (pos < span.Length)
        {
            _header = (_header << 8) | span[pos++];
            _headerFill++;
        }

        Exit();
    }

    public override void Complete(IPacketSink sink)
    {
        Enter(sink, ChunkOwnership.Borrowed);
        TruncatedFrameException? truncated = null;
        if (_frame is not null)
        {
            truncated = new TruncatedFrameException(_frameLength, _frameFill, inHeader: false);
        }
        else if (_headerFill != 0)
        {
            truncated = new TruncatedFrameException(_headerSize, _headerFill, inHeader: true);
        }

        ResetFrame();
        _header = 0;
        _headerFill = 0;
        if (truncated is not null && _truncatedFrames == TruncatedFrameHandling.Throw)
        {
            throw Fault(truncated);
        }

        Exit();
    }

    /// <summary>
    /// Handles a complete header whose payload starts at <paramref name="pos"/>: delivers the frame if
    /// the chunk holds all of it, else starts assembling it. Returns the position after what it used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int OnHeader(uint length, ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, ChunkOwnership ownership, IPacketSink sink)
    {
        // Unsigned compare against a non-negative int: 0xFFFFFFFF or 0x80000004 are just large,
        // never negative, and are refused before any allocation.
        if (length > (uint)_maxPacketSize)
        {
            throw Fault(new PacketTooLargeException(length, _maxPacketSize));
        }

        var size = (int)length;
        if (size <= span.Length - pos)
        {
            var payload = ownership == ChunkOwnership.Borrowed
                ? Copy(span.Slice(pos, size))
                : chunk.Slice(pos, size);
            sink.OnPacket(new Packet(payload));
            return pos + size;
        }

        BeginFrame(size, span[pos..], ownership);
        return span.Length;
    }

    private int ContinueHeader(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, ChunkOwnership ownership, IPacketSink sink)
    {
        var pos = 0;
        while (_headerFill < _headerSize)
        {
            if (pos == span.Length)
            {
                return pos;
            }

            _header = (_header << 8) | span[pos++];
            _headerFill++;
        }

        var length = _header;
        _header = 0;
        _headerFill = 0;
        return OnHeader(length, chunk, span, pos, ownership, sink);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadHeader(ReadOnlySpan<byte> span, int pos) => _headerSize switch
    {
        1 => span[pos],
        2 => BinaryPrimitives.ReadUInt16BigEndian(span[pos..]),
        _ => BinaryPrimitives.ReadUInt32BigEndian(span[pos..]),
    };

    private static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload) =>
        payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray();
}

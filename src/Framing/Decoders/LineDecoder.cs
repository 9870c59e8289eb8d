using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>
/// Decodes <c>{line,L}</c> into pieces of at most L bytes marked eol or noeol.
/// </summary>
/// <remarks>
/// <para>Rules, byte by byte:</para>
/// <list type="bullet">
/// <item><c>\n</c> ends a line; one <c>\r</c> right before it is removed and does not count toward L,
/// also when the two arrive in different chunks. A <c>\r</c> not followed by <c>\n</c> is data.</item>
/// <item>A line of more than L bytes comes as L-byte noeol pieces, then the rest (1..L bytes) as eol;
/// an empty line is an empty eol piece. A piece that reaches exactly L bytes is held until the next
/// byte shows whether the line ends there (one eol piece) or goes on (a noeol piece).</item>
/// <item>At end of input a pending <c>\r</c> is data and the unterminated tail is delivered as noeol
/// pieces. So L bytes, <c>\r</c>, end of input gives an L-byte noeol piece then a noeol <c>"\r"</c>;
/// L bytes, <c>\r</c>, <c>x</c> gives an L-byte noeol piece, and <c>"\rx"</c> starts the next piece.</item>
/// </list>
/// <para>
/// Pieces that lie inside a chunk are slices of it (copied when the chunk is borrowed); only the
/// tail of a line that continues in the next chunk is buffered.
/// </para>
/// </remarks>
internal sealed partial class LineDecoder : FrameDecoder
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    private readonly int _maxLength;

    public LineDecoder(int maxLength)
    {
        _maxLength = maxLength;
    }

    public override long BufferedBytes => _pendingLength + (_pendingCr ? 1 : 0);

    public override void Decode(ReadOnlyMemory<byte> chunk, ChunkOwnership ownership, IPacketSink sink)
    {
        Enter(sink, ownership);
        var span = chunk.Span;
        var pos = 0;

        // A \r ended the previous chunk: this chunk's first byte decides what it was.
        if (_pendingCr && !span.IsEmpty)
        {
            _pendingCr = false;
            if (span[0] == Lf)
            {
                DeliverPending(LineEnding.Eol, ownership, sink);
                pos = 1;
            }
            else
            {
                AppendCrAsData(ownership, sink);
            }
        }

        while (pos < span.Length)
        {
            var newline = span[pos..].IndexOf(Lf);
            if (newline < 0)
            {
                AppendUnterminated(chunk, span, pos, ownership, sink);
                break;
            }

            var end = pos + newline;
            var contentLength = newline > 0 && span[end - 1] == Cr ? newline - 1 : newline;
            if (_pendingLength == 0)
            {
                DeliverLine(chunk, span, pos, contentLength, ownership, sink);
            }
            else
            {
                DeliverJoinedLine(chunk, span, pos, contentLength, ownership, sink);
            }

            pos = end + 1;
        }

        Exit();
    }

    public override void Complete(IPacketSink sink)
    {
        // Pieces delivered at the end are copies whatever the mode, as no chunk is involved.
        Enter(sink, ChunkOwnership.Borrowed);
        if (_pendingCr)
        {
            // End of input: the \r was not followed by \n, so it is data.
            _pendingCr = false;
            AppendCrAsData(ChunkOwnership.Borrowed, sink);
        }

        if (_pendingLength > 0)
        {
            DeliverPending(LineEnding.NoEol, ChunkOwnership.Borrowed, sink);
        }

        Exit();
    }

    /// <summary>Delivers a whole line (no pending bytes) straight from the chunk: L-byte noeol pieces, then the rest as eol.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DeliverLine(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, int length, ChunkOwnership ownership, IPacketSink sink)
    {
        var max = _maxLength;
        while (length > max)
        {
            DeliverSlice(chunk, span, pos, max, LineEnding.NoEol, ownership, sink);
            pos += max;
            length -= max;
        }

        DeliverSlice(chunk, span, pos, length, LineEnding.Eol, ownership, sink);
    }

    /// <summary>Delivers a line whose start is pending from earlier chunks and whose end (<paramref name="length"/> bytes) is in this one.</summary>
    private void DeliverJoinedLine(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, int length, ChunkOwnership ownership, IPacketSink sink)
    {
        var room = _maxLength - _pendingLength;
        if (length <= room)
        {
            AppendPending(span.Slice(pos, length));
            DeliverPending(LineEnding.Eol, ownership, sink);
            return;
        }

        // The line goes past this piece: fill the piece to L, deliver it, then the rest as a whole line.
        AppendPending(span.Slice(pos, room));
        DeliverPending(LineEnding.NoEol, ownership, sink);
        DeliverLine(chunk, span, pos + room, length - room, ownership, sink);
    }

    /// <summary>Takes the chunk's tail from <paramref name="pos"/>, which holds no newline.</summary>
    private void AppendUnterminated(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, ChunkOwnership ownership, IPacketSink sink)
    {
        var length = span.Length - pos;
        if (span[^1] == Cr)
        {
            // Whether this \r is data or half of \r\n is known only from the next byte.
            _pendingCr = true;
            length--;
        }

        AppendData(chunk, span, pos, length, ownership, sink);
    }

    /// <summary>Adds line data that is not known to end the line, delivering noeol pieces as they fill.</summary>
    private void AppendData(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, int length, ChunkOwnership ownership, IPacketSink sink)
    {
        var max = _maxLength;
        if (_pendingLength + length <= max)
        {
            AppendPending(span.Slice(pos, length));
            return;
        }

        if (_pendingLength > 0)
        {
            var room = max - _pendingLength;
            AppendPending(span.Slice(pos, room));
            DeliverPending(LineEnding.NoEol, ownership, sink);
            pos += room;
            length -= room;
        }

        // Strictly more than L: a piece of exactly L must wait for the next byte.
        while (length > max)
        {
            DeliverSlice(chunk, span, pos, max, LineEnding.NoEol, ownership, sink);
            pos += max;
            length -= max;
        }

        AppendPending(span.Slice(pos, length));
    }

    private void AppendCrAsData(ChunkOwnership ownership, IPacketSink sink)
    {
        ReadOnlySpan<byte> cr = [Cr];

        // With one byte, AppendData at most delivers the pending piece and keeps the \r: it never
        // slices the (stack) span into a payload.
        AppendData(ReadOnlyMemory<byte>.Empty, cr, 0, 1, ownership, sink);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DeliverSlice(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> span, int pos, int length, LineEnding line, ChunkOwnership ownership, IPacketSink sink)
    {
        var payload = ownership != ChunkOwnership.Borrowed
            ? chunk.Slice(pos, length)
            : length == 0 ? ReadOnlyMemory<byte>.Empty : span.Slice(pos, length).ToArray();
        sink.OnPacket(new Packet(payload, line));
    }
}

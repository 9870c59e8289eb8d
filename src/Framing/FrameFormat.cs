using System.Buffers;
using System.Diagnostics.Contracts;

namespace ReactivePorts.Framing;

/// <summary>
/// An immutable description of how bytes are cut into packets: Erlang's <c>stream</c>,
/// <c>{packet,1|2|4}</c> or <c>{line,L}</c>. Reusable and thread-safe; the state of a running
/// decode lives in the <see cref="FrameDecoder"/> that <see cref="CreateDecoder"/> returns.
/// </summary>
/// <remarks>
/// The set of formats is closed (the constructor is not accessible outside this assembly): use the
/// static factories.
/// </remarks>
public abstract class FrameFormat : IEquatable<FrameFormat>
{
    /// <summary>The default maximum packet size for length-prefixed framing: 64 MiB.</summary>
    public const int DefaultMaxPacketSize = 64 * 1024 * 1024;

    /// <summary>The default maximum line length for line framing: 512 bytes, Erlang's bare <c>line</c>.</summary>
    public const int DefaultMaxLineLength = 512;

    private protected FrameFormat(int maxPacketSize, TruncatedFrameHandling truncatedFrames, int maxLineLength = 0)
    {
        MaxPacketSize = maxPacketSize;
        MaxLineLength = maxLineLength;
        TruncatedFrames = truncatedFrames;
    }

    /// <summary>No framing: every chunk is one packet, as it comes (Erlang's <c>stream</c>).</summary>
    public static FrameFormat Stream => StreamFormat.Instance;

    /// <summary>
    /// Length-prefixed framing, Erlang's <c>{packet,N}</c>: a big-endian unsigned header of
    /// <paramref name="headerSize"/> bytes, then that many payload bytes.
    /// </summary>
    /// <param name="headerSize">1, 2 or 4.</param>
    /// <param name="maxPacketSize">
    /// The largest payload decoded or encoded, in bytes; a header announcing more is a
    /// <see cref="PacketTooLargeException"/>. At most <see cref="Array.MaxLength"/>, so a hostile header can
    /// never cause an out-of-memory.
    /// </param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="headerSize"/> is not 1, 2 or 4, or <paramref name="maxPacketSize"/> is
    /// negative or over <see cref="Array.MaxLength"/>.
    /// </exception>
    [Pure]
    public static FrameFormat LengthPrefixed(int headerSize, int maxPacketSize = DefaultMaxPacketSize)
    {
        if (headerSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(headerSize), headerSize, "The header size must be 1, 2 or 4 bytes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxPacketSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, Array.MaxLength);
        return new LengthPrefixFormat(headerSize, maxPacketSize, TruncatedFrameHandling.Throw);
    }

    /// <summary>
    /// Line framing, Erlang's <c>{line,L}</c>: input is cut at <c>\n</c> (a <c>\r</c> just before it is
    /// removed) into pieces of at most <paramref name="maxLineLength"/> bytes, each marked
    /// <see cref="LineEnding.Eol"/> or <see cref="LineEnding.NoEol"/>. Output is written unchanged.
    /// </summary>
    /// <param name="maxLineLength">L, the largest piece in bytes; at least 1.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineLength"/> is less than 1 or over <see cref="Array.MaxLength"/>.</exception>
    [Pure]
    public static FrameFormat Line(int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineLength, Array.MaxLength);
        return new LineFormat(maxLineLength);
    }

    /// <summary>The length header size in bytes: 1, 2 or 4 for length-prefixed framing, 0 for stream and line framing.</summary>
    public abstract int HeaderSize { get; }

    /// <summary>
    /// The configured maximum payload, in bytes: a decoded header announcing more is a
    /// <see cref="PacketTooLargeException"/>, and <see cref="Encode"/> refuses more. A 1- or 2-byte
    /// header limits encoding further, to 255 or 65535 bytes. For stream and line framing, which
    /// write payloads unchanged, it is <see cref="int.MaxValue"/> (line pieces are bounded by
    /// <see cref="MaxLineLength"/> instead).
    /// </summary>
    public int MaxPacketSize { get; }

    /// <summary>L for line framing; 0 for the other formats.</summary>
    public int MaxLineLength { get; }

    /// <summary>What the decoder's <see cref="FrameDecoder.Complete"/> does when the input ends inside a frame.</summary>
    public TruncatedFrameHandling TruncatedFrames { get; }

    /// <summary>Returns a copy of this format whose decoders handle a truncated last frame as <paramref name="handling"/> says.</summary>
    /// <param name="handling">Throw (the default) or discard.</param>
    /// <returns>The new format (or this one, when nothing changes).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="handling"/> is not a defined value.</exception>
    [Pure]
    public FrameFormat WithTruncatedFrames(TruncatedFrameHandling handling)
    {
        if (handling is not (TruncatedFrameHandling.Throw or TruncatedFrameHandling.Discard))
        {
            throw new ArgumentOutOfRangeException(nameof(handling), handling, "Unknown truncated-frame handling.");
        }

        return handling == TruncatedFrames ? this : WithTruncatedFramesCore(handling);
    }

    /// <summary>Creates a fresh decoder for one input stream. Decoders are stateful and single-threaded.</summary>
    /// <returns>A new decoder.</returns>
    public abstract FrameDecoder CreateDecoder();

    /// <summary>
    /// Writes one payload to <paramref name="output"/>: the header then the payload for
    /// length-prefixed framing, the payload bytes unchanged for stream and line framing (as Erlang
    /// writes line-mode output). Calling it repeatedly on one writer coalesces frames into one buffer.
    /// </summary>
    /// <param name="payload">The payload.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The payload is larger than the header can express (255, 65535 or 4294967295 bytes) or than
    /// <see cref="MaxPacketSize"/>; nothing is written.
    /// </exception>
    public abstract void Encode(ReadOnlySpan<byte> payload, IBufferWriter<byte> output);

    /// <summary>The number of bytes <see cref="Encode"/> writes for a payload of <paramref name="payloadLength"/> bytes.</summary>
    /// <param name="payloadLength">The payload length.</param>
    /// <returns>The encoded length, header included.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="payloadLength"/> is negative.</exception>
    public abstract long GetEncodedLength(int payloadLength);

    private protected abstract FrameFormat WithTruncatedFramesCore(TruncatedFrameHandling handling);

    /// <summary>
    /// Value equality: two formats are equal when they frame alike — the same kind (stream, line,
    /// length-prefixed), header size, maximum packet size, maximum line length and truncated-frame
    /// handling — however they were made.
    /// </summary>
    /// <param name="other">The format to compare with.</param>
    public bool Equals(FrameFormat? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (other.GetType() == GetType() && other.HeaderSize == HeaderSize && other.MaxPacketSize == MaxPacketSize
             && other.MaxLineLength == MaxLineLength && other.TruncatedFrames == TruncatedFrames));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FrameFormat);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(GetType(), HeaderSize, MaxPacketSize, MaxLineLength, TruncatedFrames);

    /// <summary>Whether two formats frame alike (see <see cref="Equals(FrameFormat?)"/>).</summary>
    public static bool operator ==(FrameFormat? left, FrameFormat? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two formats frame differently.</summary>
    public static bool operator !=(FrameFormat? left, FrameFormat? right) => !(left == right);
}

namespace ReactivePorts.Framing;

/// <summary>
/// Rx operators for framing: byte chunks to packets, line pieces to text, payloads to encoded bytes.
/// </summary>
/// <remarks>
/// <para>
/// Input chunks are treated as <see cref="ChunkOwnership.Borrowed"/>: a producer may reuse a chunk's
/// memory once <c>OnNext</c> returns, so every emitted payload is a copy the observer may keep.
/// </para>
/// <para>
/// Each subscription gets its own decoder. A framing error (<see cref="FramingException"/>) ends the
/// sequence with <c>OnError</c>, once; the end of input calls the decoder's
/// <see cref="FrameDecoder.Complete"/>, so a truncated last frame becomes <c>OnError</c> too. An
/// exception thrown by a downstream <c>OnNext</c> propagates to the producer and is not turned into
/// an <c>OnError</c>. Argument errors are thrown at the call.
/// </para>
/// </remarks>
public static class FramingObservable
{
    /// <summary>The default cap of <see cref="ToLines"/>: 1 MiB of UTF-8 per line.</summary>
    public const int DefaultMaxLineBytes = 1024 * 1024;

    /// <summary>Decodes a sequence of byte chunks into packets.</summary>
    /// <param name="source">The chunks, in order, split anyhow.</param>
    /// <param name="format">The framing.</param>
    /// <returns>The packets; their payloads are copies owned by the observer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="format"/> is null.</exception>
    public static IObservable<Packet> Decode(this IObservable<ReadOnlyMemory<byte>> source, FrameFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(format);
        return new Decode(source, format);
    }

    /// <summary>
    /// Decodes a sequence of byte chunks with line framing <c>{line,L}</c> into line pieces marked
    /// <see cref="LineEnding.Eol"/> or <see cref="LineEnding.NoEol"/>.
    /// </summary>
    /// <param name="source">The chunks.</param>
    /// <param name="maxLineLength">L, the largest piece in bytes.</param>
    /// <returns>The line pieces.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineLength"/> is less than 1.</exception>
    public static IObservable<Packet> DecodeLines(this IObservable<ReadOnlyMemory<byte>> source, int maxLineLength = FrameFormat.DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Decode(source, FrameFormat.Line(maxLineLength));
    }

    /// <summary>
    /// Joins line pieces into text lines, decoding UTF-8 (invalid bytes become U+FFFD). A packet
    /// marked <see cref="LineEnding.NotALine"/> (from another framing) is taken as a whole line; an
    /// unterminated last line is emitted at the end of the sequence.
    /// </summary>
    /// <param name="source">Line pieces, e.g. from <see cref="DecodeLines"/>.</param>
    /// <param name="maxLineBytes">The cap on one line, in UTF-8 bytes without the terminator.</param>
    /// <param name="overflow">
    /// What a longer line does: <see cref="LineOverflow.Throw"/> ends the sequence with a
    /// <see cref="LineTooLongException"/>; <see cref="LineOverflow.Truncate"/> keeps its start.
    /// </param>
    /// <returns>The lines, without terminators.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineBytes"/> is less than 1, or <paramref name="overflow"/> is not a defined value.</exception>
    public static IObservable<string> ToLines(this IObservable<Packet> source, int maxLineBytes = DefaultMaxLineBytes, LineOverflow overflow = LineOverflow.Throw)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        if (overflow is not (LineOverflow.Throw or LineOverflow.Truncate))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown line overflow mode.");
        }

        return new ToLines(source, maxLineBytes, overflow);
    }

    /// <summary>
    /// Encodes each payload as one chunk (header and payload in one exactly-sized array), emitted
    /// at once. A payload the format refuses ends the sequence with an <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="source">The payloads.</param>
    /// <param name="format">The framing.</param>
    /// <returns>The encoded chunks, owned by the observer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="format"/> is null.</exception>
    /// <remarks>To coalesce many small frames into fewer writes, buffer first and use the batch overload.</remarks>
    public static IObservable<ReadOnlyMemory<byte>> Encode(this IObservable<ReadOnlyMemory<byte>> source, FrameFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(format);
        return new Encode(source, format);
    }

    /// <summary>
    /// Encodes each batch of payloads into one chunk, coalescing its frames into one array. Use it
    /// after Rx's <c>Buffer(timeSpan, count)</c> so data is never delayed longer than the time span;
    /// empty batches produce nothing.
    /// </summary>
    /// <param name="source">Batches of payloads.</param>
    /// <param name="format">The framing.</param>
    /// <returns>One encoded chunk per non-empty batch, owned by the observer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="format"/> is null.</exception>
    public static IObservable<ReadOnlyMemory<byte>> Encode(this IObservable<IList<ReadOnlyMemory<byte>>> source, FrameFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(format);
        return new EncodeBatches(source, format);
    }
}

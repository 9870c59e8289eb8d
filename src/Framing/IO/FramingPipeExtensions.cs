using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>Framing over <see cref="PipeReader"/> and <see cref="PipeWriter"/>.</summary>
public static class FramingPipeExtensions
{
    /// <summary>
    /// Reads the pipe to its end, decoding packets as they arrive, for <c>await foreach</c>. Each
    /// payload is a copy the caller may keep. The reader is not completed.
    /// </summary>
    /// <param name="reader">The pipe to read.</param>
    /// <param name="format">The framing.</param>
    /// <param name="cancellationToken">Stops the enumeration with an <see cref="OperationCanceledException"/>; a token passed to <c>WithCancellation</c> works too.</param>
    /// <returns>The packets; enumeration throws a <see cref="FramingException"/> on bad framing, including a truncated last frame.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="format"/> is null.</exception>
    public static IAsyncEnumerable<Packet> ReadPacketsAsync(this PipeReader reader, FrameFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(format);
        return ReadPacketsCore(reader, format, cancellationToken);
    }

    /// <summary>Encodes one payload into the writer and flushes it.</summary>
    /// <param name="writer">The pipe to write.</param>
    /// <param name="format">The framing.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>The flush result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The format refuses the payload's size; nothing is written.</exception>
    public static ValueTask<FlushResult> WritePacketAsync(this PipeWriter writer, FrameFormat format, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(format);
        format.Encode(payload.Span, writer);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Encodes many payloads into the writer back to back, flushing once per 64 KiB and at the end,
    /// so small frames are coalesced and a slow reader still applies backpressure.
    /// </summary>
    /// <param name="writer">The pipe to write.</param>
    /// <param name="format">The framing.</param>
    /// <param name="payloads">The payloads.</param>
    /// <param name="cancellationToken">Cancels the flushes.</param>
    /// <returns>The last flush result; writing stops early if the reader completes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/>, <paramref name="format"/> or <paramref name="payloads"/> is null.</exception>
    /// <exception cref="ArgumentException">The format refuses a payload's size; the frames before it stay written.</exception>
    public static ValueTask<FlushResult> WritePacketsAsync(this PipeWriter writer, FrameFormat format, IEnumerable<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(payloads);
        return WritePacketsCore(writer, format, payloads, cancellationToken);
    }

    private static async IAsyncEnumerable<Packet> ReadPacketsCore(PipeReader reader, FrameFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = format.CreateDecoder();
        var queue = new PacketQueue();
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                // The pipe reuses its memory after AdvanceTo, so the chunks are borrowed.
                decoder.Decode(buffer, ChunkOwnership.Borrowed, queue);
            }
            finally
            {
                // The decoder keeps what it still needs, so everything is consumed, even on error.
                reader.AdvanceTo(buffer.End);
            }

            // Packets decoded so far go out before Complete can report a truncated last frame.
            foreach (var packet in queue.Packets)
            {
                yield return packet;
            }

            queue.Packets.Clear();
            if (result.IsCompleted)
            {
                decoder.Complete(queue);
                foreach (var packet in queue.Packets)
                {
                    yield return packet;
                }

                yield break;
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The pending read on the pipe was canceled.");
            }
        }
    }

    private static async ValueTask<FlushResult> WritePacketsCore(PipeWriter writer, FrameFormat format, IEnumerable<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        long unflushed = 0;
        foreach (var payload in payloads)
        {
            format.Encode(payload.Span, writer);
            unflushed += format.GetEncodedLength(payload.Length);
            if (unflushed >= StreamWriting.FlushThreshold)
            {
                unflushed = 0;
                var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return result;
                }
            }
        }

        return await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

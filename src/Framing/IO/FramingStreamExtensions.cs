using System.Buffers;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>Framing over <see cref="Stream"/>.</summary>
public static class FramingStreamExtensions
{
    /// <summary>The default read buffer of <see cref="ReadPacketsAsync"/>: 64 KiB, a pipe's default capacity on Linux.</summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>
    /// Reads the stream to its end, decoding packets as they arrive, for <c>await foreach</c>. Each
    /// payload is a copy the caller may keep. The stream is not disposed.
    /// </summary>
    /// <param name="stream">The stream to read.</param>
    /// <param name="format">The framing.</param>
    /// <param name="bufferSize">The read buffer size in bytes.</param>
    /// <param name="cancellationToken">Stops the enumeration with an <see cref="OperationCanceledException"/>; a token passed to <c>WithCancellation</c> works too.</param>
    /// <returns>The packets; enumeration throws a <see cref="FramingException"/> on bad framing, including a truncated last frame.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSize"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    public static IAsyncEnumerable<Packet> ReadPacketsAsync(this Stream stream, FrameFormat format, int bufferSize = DefaultBufferSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        return ReadPacketsCore(stream, format, bufferSize, cancellationToken);
    }

    /// <summary>Encodes one payload and writes it with one write call, then flushes the stream.</summary>
    /// <param name="stream">The stream to write.</param>
    /// <param name="format">The framing.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The format refuses the payload's size; nothing is written.</exception>
    public static ValueTask WritePacketAsync(this Stream stream, FrameFormat format, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        var batch = new FrameBatch(format, (int)Math.Min(format.GetEncodedLength(payload.Length), StreamWriting.FlushThreshold));
        try
        {
            batch.Add(payload.Span);
        }
        catch
        {
            // The payload was refused before any I/O: give the buffer back, then let the caller see why.
            batch.Dispose();
            throw;
        }

        return StreamWriting.WriteAndDisposeAsync(stream, batch, cancellationToken);
    }

    /// <summary>
    /// Encodes many payloads into one buffer and writes it once per 64 KiB and at the end, so small
    /// frames are coalesced into few write calls; then flushes the stream.
    /// </summary>
    /// <param name="stream">The stream to write.</param>
    /// <param name="format">The framing.</param>
    /// <param name="payloads">The payloads.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when every frame is written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/>, <paramref name="format"/> or <paramref name="payloads"/> is null.</exception>
    /// <exception cref="ArgumentException">The format refuses a payload's size; frames before it may have been written.</exception>
    public static ValueTask WritePacketsAsync(this Stream stream, FrameFormat format, IEnumerable<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(payloads);
        return StreamWriting.WriteManyAsync(stream, format, payloads, cancellationToken);
    }

    private static async IAsyncEnumerable<Packet> ReadPacketsCore(Stream stream, FrameFormat format, int bufferSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = format.CreateDecoder();
        var queue = new PacketQueue();
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, bufferSize), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    decoder.Complete(queue);
                }
                else
                {
                    // The buffer is reused for the next read, so the chunk is borrowed.
                    decoder.Decode(buffer.AsMemory(0, read), ChunkOwnership.Borrowed, queue);
                }

                foreach (var packet in queue.Packets)
                {
                    yield return packet;
                }

                queue.Packets.Clear();
                if (read == 0)
                {
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

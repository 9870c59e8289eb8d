namespace ReactivePorts.Framing;

/// <summary>The asynchronous halves of the stream and pipe write adapters.</summary>
internal static class StreamWriting
{
    /// <summary>How many encoded bytes are gathered before a write or flush: large enough to amortize the call, small enough to keep latency and memory low.</summary>
    public const int FlushThreshold = 64 * 1024;

    public static async ValueTask WriteAndDisposeAsync(Stream stream, FrameBatch batch, CancellationToken cancellationToken)
    {
        using (batch)
        {
            await stream.WriteAsync(batch.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async ValueTask WriteManyAsync(Stream stream, FrameFormat format, IEnumerable<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        using var batch = new FrameBatch(format, FlushThreshold);
        foreach (var payload in payloads)
        {
            batch.Add(payload.Span);
            if (batch.Length >= FlushThreshold)
            {
                await stream.WriteAsync(batch.WrittenMemory, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Length > 0)
        {
            await stream.WriteAsync(batch.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

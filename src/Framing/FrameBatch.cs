namespace ReactivePorts.Framing;

/// <summary>
/// Coalesces many encoded frames into one contiguous buffer, so they go out in one write: at 64-byte
/// frames, a write per frame is several times slower than one write per batch.
/// </summary>
/// <remarks>
/// The buffer comes from the shared array pool and goes back on <see cref="Dispose"/>.
/// <see cref="WrittenMemory"/> is valid until the next <see cref="Add"/>, <see cref="Clear"/> or
/// <see cref="Dispose"/>. Not thread-safe.
/// </remarks>
/// <example>
/// <code>
/// using var batch = new FrameBatch(FrameFormat.LengthPrefixed(2));
/// foreach (var payload in payloads) batch.Add(payload.Span);
/// await stream.WriteAsync(batch.WrittenMemory);
/// batch.Clear();
/// </code>
/// </example>
public sealed class FrameBatch : IDisposable
{
    private readonly PooledBufferWriter _writer;
    private bool _disposed;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="format">How each payload is framed.</param>
    /// <param name="initialCapacity">The initial buffer size in bytes; the buffer grows as needed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative.</exception>
    public FrameBatch(FrameFormat format, int initialCapacity = 4096)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Format = format;
        _writer = new PooledBufferWriter(initialCapacity);
    }

    /// <summary>The framing applied to each payload.</summary>
    public FrameFormat Format { get; }

    /// <summary>The number of frames added since creation or the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The number of encoded bytes in the batch.</summary>
    public int Length => _writer.WrittenCount;

    /// <summary>The encoded frames, back to back.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _writer.WrittenMemory;

    /// <summary>Appends one encoded frame.</summary>
    /// <param name="payload">The payload.</param>
    /// <exception cref="ArgumentException">The format refuses the payload's size; nothing is appended.</exception>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public void Add(ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Format.Encode(payload, _writer);
        Count++;
    }

    /// <summary>Empties the batch, keeping its buffer for reuse.</summary>
    public void Clear()
    {
        _writer.Clear();
        Count = 0;
    }

    /// <summary>Returns the buffer to the pool. The batch cannot be used afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _writer.Dispose();
        Count = 0;
    }
}

using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>Copies a payload into an <see cref="IBufferWriter{T}"/> without asking it for one huge contiguous block.</summary>
internal static class BufferWriterCopy
{
    /// <summary>
    /// Payloads up to this size are requested in one piece. Larger ones are copied in pieces, so a
    /// 64 MiB payload does not force a pipe to allocate a 64 MiB segment.
    /// </summary>
    public const int SingleRequestLimit = 64 * 1024;

    public static void Write(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        while (!source.IsEmpty)
        {
            var span = output.GetSpan(Math.Min(source.Length, SingleRequestLimit));
            var n = Math.Min(span.Length, source.Length);
            source[..n].CopyTo(span);
            output.Advance(n);
            source = source[n..];
        }
    }
}

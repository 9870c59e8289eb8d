using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array from a given position, so an encoder writes a
/// frame straight into the array that will be handed on (an exactly-sized packet, or a port's
/// batch buffer); reused, so encoding allocates nothing. Shared with ReactivePorts.
/// </summary>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _start;
    private int _position;

    /// <summary>Writes into <paramref name="buffer"/> from <paramref name="position"/> on.</summary>
    public void Reset(byte[] buffer, int position = 0)
    {
        _buffer = buffer;
        _start = _position = position;
    }

    /// <summary>Bytes written since the last <see cref="Reset"/>.</summary>
    public int WrittenCount => _position - _start;

    /// <summary>The index in the buffer of the next byte to write.</summary>
    public int Position => _position;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _position);
        _position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_position);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_position);
}

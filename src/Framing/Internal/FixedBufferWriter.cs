using System.Buffers;

namespace ReactivePorts.Framing;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array of known size, so an encoder can write a frame
/// straight into the exactly-sized array that will be handed on.
/// </summary>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];
    private int _written;

    public void Reset(byte[] buffer)
    {
        _buffer = buffer;
        _written = 0;
    }

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_written);
}

using System.Buffers;

namespace ReactivePorts.Drivers;

/// <summary>An <see cref="IBufferWriter{T}"/> over a given array from a given position, reused per port so encoding a frame allocates nothing.</summary>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = [];

    public int Position { get; private set; }

    public void Reset(byte[] buffer, int position)
    {
        _buffer = buffer;
        Position = position;
    }

    public void Advance(int count) => Position += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(Position);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(Position);
}

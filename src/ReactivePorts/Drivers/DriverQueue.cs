namespace ReactivePorts.Drivers;

/// <summary>
/// Erlang's driver queue: byte segments waiting to be written, with push at the front,
/// peek and partial dequeue. Owned by one port; touched on the loop thread only.
/// </summary>
internal sealed class DriverQueue
{
    private ReadOnlyMemory<byte>[] _items = new ReadOnlyMemory<byte>[8];
    private int _head;
    private int _count;

    public long Size { get; private set; }

    public int SegmentCount => _count;

    public void Enqueue(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return;
        Grow();
        _items[(_head + _count) % _items.Length] = data;
        _count++;
        Size += data.Length;
    }

    public void PushFront(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return;
        Grow();
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = data;
        _count++;
        Size += data.Length;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length segments from the front; returns how many.</summary>
    public int Peek(Span<ReadOnlyMemory<byte>> destination)
    {
        int n = Math.Min(destination.Length, _count);
        for (int i = 0; i < n; i++) destination[i] = _items[(_head + i) % _items.Length];
        return n;
    }

    /// <summary>Removes <paramref name="bytes"/> from the front (a partial segment is trimmed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the queue holds.</exception>
    public void Dequeue(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Size);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Size -= bytes;
        while (bytes > 0)
        {
            ref var first = ref _items[_head];
            if (bytes < first.Length)
            {
                first = first[(int)bytes..];
                return;
            }
            bytes -= first.Length;
            first = default;
            _head = (_head + 1) % _items.Length;
            _count--;
        }
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
        Size = 0;
    }

    private void Grow()
    {
        if (_count < _items.Length) return;
        var bigger = new ReadOnlyMemory<byte>[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) % _items.Length];
        _items = bigger;
        _head = 0;
    }
}

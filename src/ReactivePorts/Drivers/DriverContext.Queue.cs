namespace ReactivePorts.Drivers;

// The driver queue (Erlang's driver_enq/pushq/peekq/deq/sizeq), mirrored for writers.
public sealed partial class DriverContext
{
    /// <summary>Queues bytes at the back of the driver queue (Erlang's <c>driver_enq</c>); the queue keeps the memory it is given.</summary>
    public void Enqueue(ReadOnlyMemory<byte> data)
    {
        _queue.Enqueue(data);
        SyncQueueSize(handedOver: data.Length);
    }

    /// <summary>Puts bytes at the front of the driver queue (Erlang's <c>driver_pushq</c>).</summary>
    public void PushFront(ReadOnlyMemory<byte> data)
    {
        _queue.PushFront(data);
        SyncQueueSize(handedOver: data.Length);
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length segments from the front of the queue (Erlang's <c>driver_peekq</c>); returns how many.</summary>
    public int PeekQueue(Span<ReadOnlyMemory<byte>> destination) => _queue.Peek(destination);

    /// <summary>Removes written bytes from the front of the queue (Erlang's <c>driver_deq</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the queue holds.</exception>
    public void Dequeue(long bytes)
    {
        _queue.Dequeue(bytes);
        SyncQueueSize();
    }

    /// <summary>The driver queue's size in bytes (Erlang's <c>driver_sizeq</c>).</summary>
    public long QueueSize => _queue.Size;

    /// <summary>Drops everything queued (close timeout, abort, a failed write); returns how many bytes were dropped.</summary>
    internal long DropQueued()
    {
        long dropped;
        lock (_writeGate)
        {
            dropped = _pendingBytes + _queue.Size;
            _pending.Clear();
            _batch = null;
            _pendingBytes = 0;
            _retired = null; // their bytes will never be written: nothing to wait for
        }
        _queue.Clear();
        // Whoever closes the port learns what was lost (by a close timeout, an abort or a dead
        // input); counted before the empty queue completes a waiting close.
        _unwrittenBytes += dropped;
        SyncQueueSize();
        return dropped;
    }

    /// <summary>Mirrors the driver queue for writers and re-evaluates busy, in one pass under the gate (loop thread).</summary>
    /// <remarks>
    /// <paramref name="handedOver"/>: bytes of the segment being handed to the driver that it just
    /// queued; they stop counting as in flight in the same pass as they start counting as queued, so
    /// the queue size never drops for a moment in between.
    /// </remarks>
    private void SyncQueueSize(bool drained = false, long handedOver = 0)
    {
        if (UpdateBusy(_queue.Size, drained, handedOver)) OnQueueEmpty();
    }
}

namespace ReactivePorts.Drivers;

// Coalescing accepted payloads into shared batch buffers (framed in place), and reusing the
// buffers once everything in them has been written.
public sealed partial class DriverContext
{
    private void AppendLocked(ReadOnlySpan<byte> payload)
    {
        // The common case, a small frame that fits the current batch, without the format's
        // IBufferWriter round trip: a big-endian length header (or none), then the payload, as
        // FrameFormat.Encode documents for every built-in format.
        int header = _plainHeader;
        if (header >= 0 && _batch is { } batch && batch.Length - _batchUsed >= payload.Length + header && payload.Length <= CoalesceLimit)
        {
            int length = PutPlainFrame(batch, _batchUsed, header, payload);
            _batchUsed += length;
            _pendingBytes += length;
            _streamEnd += length;
            return;
        }
        AppendSlow(payload);
    }

    /// <summary>Appends every payload, in order (under the gate).</summary>
    private void AppendManyLocked(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        // The lists callers pass (arrays, List<T>) are walked as spans, and small frames go into
        // the current batch in one tight loop: for 64-byte packets the per-frame calls, interface
        // dispatch and field updates cost more than the copy, and this runs on the loop when a
        // waiting batch is admitted.
        ReadOnlySpan<ReadOnlyMemory<byte>> items = payloads switch
        {
            ReadOnlyMemory<byte>[] array => array,
            List<ReadOnlyMemory<byte>> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
            _ => default,
        };
        if (items.IsEmpty || _plainHeader < 0)
        {
            for (int i = 0; i < payloads.Count; i++) AppendLocked(payloads[i].Span);
            return;
        }
        int next = 0;
        while (next < items.Length)
        {
            next += AppendToBatchLocked(items[next..]);
            // The next one needs a new batch buffer, or a buffer of its own.
            if (next < items.Length) AppendSlow(items[next++].Span);
        }
    }

    /// <summary>Appends as many of <paramref name="items"/> as fit the current batch with a plain header; returns how many.</summary>
    private int AppendToBatchLocked(ReadOnlySpan<ReadOnlyMemory<byte>> items)
    {
        if (_batch is not { } batch) return 0;
        int header = _plainHeader, used = _batchUsed, start = used, i = 0;
        for (; i < items.Length; i++)
        {
            var payload = items[i].Span;
            if (payload.Length > CoalesceLimit || batch.Length - used < header + payload.Length) break;
            used += PutPlainFrame(batch, used, header, payload);
        }
        _batchUsed = used;
        _pendingBytes += used - start;
        _streamEnd += used - start;
        return i;
    }

    /// <summary>Writes one frame (a plain header of <paramref name="header"/> bytes, then the payload) into <paramref name="batch"/> at <paramref name="at"/>; returns its length.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int PutPlainFrame(byte[] batch, int at, int header, ReadOnlySpan<byte> payload)
    {
        var frame = batch.AsSpan(at, header + payload.Length);
        WritePlainHeader(frame, header, payload.Length);
        payload.CopyTo(frame[header..]);
        return frame.Length;
    }

    /// <summary>Writes a plain big-endian length header of <paramref name="size"/> bytes (0, 1, 2 or 4) at the start of <paramref name="frame"/>.</summary>
    private static void WritePlainHeader(Span<byte> frame, int size, int length)
    {
        switch (size)
        {
            case 1: frame[0] = (byte)length; break;
            case 2: System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)length); break;
            case 4: System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)length); break;
        }
    }

    /// <summary>
    /// The frame header size when the port's format writes a plain big-endian length (1, 2 or 4
    /// bytes) or nothing before the payload; -1 for any other format (always encoded by the format).
    /// </summary>
    private int PlainHeader()
    {
        var framing = _options.Framing;
        int header = framing.HeaderSize;
        return header is 0 or 1 or 2 or 4 && framing.GetEncodedLength(10) == 10 + header && framing.GetEncodedLength(0) == header ? header : -1;
    }

    private void AppendSlow(ReadOnlySpan<byte> payload)
    {
        var framing = _options.Framing;
        long encoded = framing.GetEncodedLength(payload.Length);
        if (encoded > CoalesceLimit)
        {
            // Its own buffer, not zeroed first: the encoder writes every byte of it.
            var own = GC.AllocateUninitializedArray<byte>((int)encoded);
            _batchWriter.Reset(own, 0);
            framing.Encode(payload, _batchWriter);
            SealBatchLocked();
            _pending.Add(own.AsMemory(0, _batchWriter.Position));
        }
        else
        {
            if (_batch is null || _batch.Length - _batchUsed < encoded)
            {
                SealBatchLocked();
                // Small while traffic is light (one round trip at a time), doubling while it fills
                // buffers (a stream), up to MaxBatch. Drains hand over slices and leave the rest of
                // the buffer to later writes, so a buffer serves many drains.
                int size = (int)Math.Clamp(Math.Max(Math.Max(_pendingBytes, _batch?.Length ?? 0) * 2, encoded), 4096, MaxBatch);
                size = Math.Max(size, (int)encoded);
                // Slices of it may still be pending, queued or being written: it is free once the
                // output has written everything up to its last byte.
                if (_batch is not null) (_retired ??= new()).Enqueue((_batch, _streamEnd));
                _batch = TakeFreeBatch(size) ?? GC.AllocateUninitializedArray<byte>(size); // every byte handed out is written first
                _batchStart = _batchUsed = 0;
            }
            _batchWriter.Reset(_batch, _batchUsed);
            framing.Encode(payload, _batchWriter);
            _batchUsed = _batchWriter.Position;
        }
        _pendingBytes += encoded;
        _streamEnd += encoded;
    }

    // Batch buffers whose slices the driver no longer holds are used again (a driver keeps what
    // OnInput gets only through Enqueue, as the driver contract says), so
    // a steady stream of small writes allocates nothing. The output is one stream in the order of
    // acceptance, so a buffer is free once the bytes written reach the stream offset of its last
    // byte. Guarded by _writeGate.
    private Queue<(byte[] Buffer, long End)>? _retired; // replaced batches and the stream offset their bytes end at
    private Stack<byte[]>? _free;   // batches known to be unreferenced, at most MaxFreeBatches
    private long _streamEnd;        // bytes ever accepted (the stream offset of the next byte accepted)

    // As many as a saturated stream has in flight (the pipe's 64 KiB allowance, the busy marks and
    // a batch accepted past them): it then cycles through the same few buffers.
    private const int MaxFreeBatches = 6;

    private byte[]? TakeFreeBatch(int size)
    {
        if (_free is not { Count: > 0 } free || free.Peek().Length < size) return null;
        return free.Pop();
    }

    /// <summary>
    /// Under the gate, on the loop with the driver queue's size just mirrored, or after a direct
    /// write (the mirror can only be too high then, as only the loop changes the queue and it
    /// mirrors every change before it lets go of its output): frees the retired
    /// batches whose bytes have all been written, and starts the current batch over when
    /// everything accepted has been written.
    /// </summary>
    private void RecycleBatchesLocked()
    {
        // Mid-drain the driver holds slices that are neither written nor queued yet.
        if (_loopOutput) return;
        // Bytes handed to the driver (by drains, or written by callers) less those it still queues.
        // Read without ordering against direct writers, which add theirs after the write: at worst
        // this is too low, and buffers come back a little later.
        long written = Volatile.Read(ref _bytesWritten) - _queueBytes;
        while (_retired is { Count: > 0 } retired && retired.Peek().End <= written)
        {
            var buffer = retired.Dequeue().Buffer;
            var free = _free ??= new();
            if (free.Count < MaxFreeBatches && buffer.Length == MaxBatch) free.Push(buffer);
        }
        if (written == _streamEnd && _batchUsed == _batchStart && _directBytes == 0) _batchStart = _batchUsed = 0;
    }

    /// <summary>Closes the current batch: its bytes become one pending segment.</summary>
    private void SealBatchLocked()
    {
        if (_batch is null || _batchUsed == _batchStart) return;
        _pending.Add(_batch.AsMemory(_batchStart, _batchUsed - _batchStart));
        _batchStart = _batchUsed;
    }
}

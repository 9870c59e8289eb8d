using System.Buffers.Binary;
using System.Diagnostics;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Compare;

// The subscribers of the ReactivePorts programs. They run on the port's loop thread, check every
// byte or packet there (so zero-copy payloads are looked at while they are valid), and never
// throw: a failure completes Done with the error, so the writer stops and the port is killed.

/// <summary>Checks a raw stream byte for byte against the period-64 KiB pattern.</summary>
internal sealed class RawChecker(byte[] pattern) : IObserver<Packet>
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public long Received;
    public long EndTimestamp;

    public Task Done => _done.Task;

    public void OnNext(Packet value)
    {
        var span = value.Payload.Span;
        if (!span.SequenceEqual(pattern.AsSpan((int)(Received % Bench.Chunk), span.Length)))
        {
            _done.TrySetException(new InvalidDataException($"raw: data mismatch near offset {Received}"));
            return;
        }
        Received += span.Length;
    }

    public void OnError(Exception error) => _done.TrySetException(error);

    public void OnCompleted()
    {
        EndTimestamp = Stopwatch.GetTimestamp();
        _done.TrySetResult();
    }
}

/// <summary>Checks {packet,4} payloads: length, sequence number (bytes 0..7), last byte; counts them.</summary>
internal sealed class PacketChecker(int size) : IObserver<Packet>
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _failed;
    private long _allocStart, _packetsStart = -1, _allocEnd, _packetsEnd;
    public long Received;
    public long EndTimestamp;

    /// <summary>When set (a Stopwatch timestamp), the loop thread's allocations are sampled from then on.</summary>
    public long SampleAfter = long.MaxValue;

    public Task Done => _done.Task;

    /// <summary>Bytes allocated on the loop thread between the first and the last sample, and the packets delivered meanwhile.</summary>
    public (long Bytes, long Packets) LoopAllocation => (_allocEnd - _allocStart, _packetsEnd - _packetsStart);

    public void OnNext(Packet value)
    {
        if (_failed) return;
        var span = value.Payload.Span;
        var expect = Received;
        if (span.Length != size || BinaryPrimitives.ReadUInt64BigEndian(span) != (ulong)expect || span[size - 1] != (byte)expect)
        {
            _failed = true;
            var got = span.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(span).ToString() : "none";
            _done.TrySetException(new InvalidDataException($"pkt: bad packet {expect}: length {span.Length} (expected {size}), sequence {got}"));
            return;
        }
        Volatile.Write(ref Received, expect + 1);
        if ((expect & 4095) == 0 && SampleAfter != long.MaxValue) Sample(expect);
    }

    private void Sample(long packets)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (_packetsStart < 0)
        {
            if (Stopwatch.GetTimestamp() < SampleAfter) return;
            _allocStart = now;
            _packetsStart = packets;
        }
        _allocEnd = now;
        _packetsEnd = packets;
    }

    public void OnError(Exception error) => _done.TrySetException(error);

    public void OnCompleted()
    {
        EndTimestamp = Stopwatch.GetTimestamp();
        _done.TrySetResult();
    }
}

/// <summary>Round trips: <see cref="Expect"/> arms a waiter for one sequence number; OnNext checks the echo and completes it.</summary>
internal sealed class EchoWaiter(int size, bool asynchronous = true) : IObserver<Packet>
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<bool>? _pending;
    private long _expect;
    public int Extra;

    public Task Done => _done.Task;

    public Task<bool> Expect(long seq)
    {
        var tcs = new TaskCompletionSource<bool>(asynchronous ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
        _expect = seq;
        Volatile.Write(ref _pending, tcs);
        return tcs.Task;
    }

    public void OnNext(Packet value)
    {
        var tcs = Interlocked.Exchange(ref _pending, null);
        if (tcs is null)
        {
            Extra++;
            return;
        }
        var span = value.Payload.Span;
        tcs.TrySetResult(span.Length == size && BinaryPrimitives.ReadUInt64BigEndian(span) == (ulong)_expect && span[^1] == (byte)_expect);
    }

    public void OnError(Exception error)
    {
        Interlocked.Exchange(ref _pending, null)?.TrySetException(error);
        _done.TrySetException(error);
    }

    public void OnCompleted()
    {
        Interlocked.Exchange(ref _pending, null)?.TrySetResult(false);
        _done.TrySetResult();
    }
}

using System.Buffers.Binary;

namespace ReactivePorts.Drivers;

public sealed partial class DriverPort
{
    /// <summary>Payloads from this size on are written by the caller whenever the port is idle (they gain nothing from coalescing).</summary>
    private const int DirectMinBytes = 4096;

    /// <summary>
    /// Decides, under the gate, whether the caller writes this payload straight to the descriptor
    /// (Erlang's rule that a command to an idle port goes directly to the fd, from the caller's
    /// thread): only when nothing accepted earlier is still waiting (no pending bytes, no drain or
    /// other direct write in progress, an empty driver queue) so order is kept, and only when it
    /// pays. A big payload then skips the copy into a batch and the hop to the loop; a small one is
    /// written directly only while the loop sleeps (waking it costs 70–90 µs on the VMs measured),
    /// and otherwise coalesced by the loop, which picks it up at once while it spins.
    /// On success the port is marked as being written, and <see cref="WriteDirect"/> must follow.
    /// </summary>
    private bool TryWriteDirectLocked(int payloadLength, out int header)
    {
        header = 0;
        if (_directBytes > 0 || _loopOutput || _pendingBytes > 0 || _queueBytes > 0 || _drainScheduled
            || _state != State.Open || !_driver.SupportsDirectOutput || Scheduler.IsLoopThread)
            return false;
        var framing = _options.Framing;
        long encoded = framing.GetEncodedLength(payloadLength);
        header = (int)(encoded - payloadLength);
        // Only headers known to be big-endian lengths (length-prefixed framing) or none (stream, line).
        if (header != framing.HeaderSize || header is not (0 or 1 or 2 or 4)) return false;
        if (encoded < DirectMinBytes)
        {
            // A small frame: directly only to a sleeping loop, and only when sparse (the last direct
            // write was a while ago), so a burst that starts while the loop sleeps is one direct write
            // and one wake-up, then coalesced by the loop, not a syscall per frame.
            if (!Scheduler.IsSleeping) return false;
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (now - _lastSmallDirect < SparseTicks) return false;
            _lastSmallDirect = now;
        }
        _directBytes = encoded;
        return true;
    }

    private static readonly long SparseTicks = System.Diagnostics.Stopwatch.Frequency / 100_000; // 10 µs
    private long _lastSmallDirect = long.MinValue / 2; // Stopwatch timestamp, guarded by _writeGate

    /// <summary>
    /// Writes one frame from the caller's thread (after <see cref="TryWriteDirectLocked"/>). What the
    /// descriptor does not take (a full pipe, or any error, which the loop then meets and reports)
    /// is copied and goes ahead of anything accepted meanwhile, and the loop takes it from there.
    /// </summary>
    private void WriteDirect(ReadOnlySpan<byte> payload, int headerSize)
    {
        Span<byte> header = stackalloc byte[4];
        header = header[..headerSize];
        switch (headerSize)
        {
            case 1: header[0] = (byte)payload.Length; break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)payload.Length); break;
            case 4: BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length); break;
        }
        long total = headerSize + payload.Length;
        long written = 0;
        try
        {
            written = Math.Max(0, _driver.WriteDirect(header, payload));
        }
        finally
        {
            Interlocked.Add(ref _bytesOut, written);
            FinishDirect(header, payload, written, total);
        }
    }

    private void FinishDirect(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, long written, long total)
    {
        bool schedule = false;
        lock (_writeGate)
        {
            _directBytes = 0;
            if (written < total)
            {
                var rest = GC.AllocateUninitializedArray<byte>((int)(total - written));
                int skip = (int)written;
                if (skip < header.Length)
                {
                    header[skip..].CopyTo(rest);
                    payload.CopyTo(rest.AsSpan(header.Length - skip));
                }
                else
                {
                    payload[(skip - header.Length)..].CopyTo(rest);
                }
                SealBatchLocked();
                _pending.Insert(0, rest); // before anything accepted while this write ran
                _pendingBytes += rest.Length;
                CheckBusyLocked();
            }
            // Bytes accepted meanwhile (and a drain that stood aside for this write) need the loop;
            // so does a close or half-close that waits for everything to be written.
            if ((_pendingBytes > 0 || _batchUsed > _batchStart || Volatile.Read(ref _flushWaiting)) && !_drainScheduled)
            {
                _drainScheduled = true;
                schedule = true;
            }
        }
        if (schedule) ScheduleDrain();
    }

    /// <summary>Set (on the loop) while a close or half-close waits for the output to be written.</summary>
    private bool _flushWaiting;
}

using System.Runtime.InteropServices;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Polling.Backends;

namespace ReactivePorts.Drivers;

/// <summary>
/// Reads and writes a port's descriptors (any <see cref="SafeHandle"/> on a file descriptor: a
/// pipe, a socket's handle, a <c>SafeFileHandle</c>), so a driver needs no P/Invoke of its own. The
/// calls go through the port's poll backend, so the same driver runs over in-memory devices in
/// virtual time. Results are the system call's own (<see cref="IOResult"/>), not exceptions (but
/// for <see cref="ObjectDisposedException"/> on a handle already closed);
/// EINTR is retried. Use from the driver's callbacks (loop thread); descriptors should be
/// non-blocking (a blocking one blocks the loop). <see cref="Read"/> and <see cref="Write"/> alone
/// may also be called from work started with <see cref="DriverContext.Async"/>, off the loop: that
/// is how a driver reads or writes a descriptor that must stay blocking (one shared with another
/// process) or that the loop cannot watch (a regular file).
/// </summary>
public sealed class DescriptorIO
{
    private const int ReadsPerReadiness = 8;
    private readonly DriverContext _context;
    private readonly ReadOnlyMemory<byte>[] _peek = new ReadOnlyMemory<byte>[64];

    internal DescriptorIO(DriverContext context) => _context = context;

    private IPollBackend Backend => _context.Scheduler.Backend;

    /// <summary>
    /// Makes <paramref name="handle"/> non-blocking (O_NONBLOCK), as every descriptor a driver
    /// selects should be: a blocking read or write would stop the whole loop. The flag belongs to
    /// the open file description, so it changes it for everyone who shares it (a descriptor handed
    /// over by another process, say): set it only on descriptors the driver owns.
    /// </summary>
    public IOResult SetNonBlocking(SafeHandle handle, bool nonBlocking = true)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var fd = new Lease(handle);
        int rc = Backend.SetNonBlocking(fd.Fd, nonBlocking);
        return rc < 0 ? new IOResult(IOStatus.Failed, 0, -rc) : new IOResult(IOStatus.Done, 0, 0);
    }

    /// <summary>The file status flags of <paramref name="handle"/> (F_GETFL) through the port's backend, or -errno.</summary>
    internal int GetStatusFlags(SafeHandle handle) => GetStatusFlags(Backend, handle);

    /// <summary>The file status flags of <paramref name="handle"/> (F_GETFL) through <paramref name="backend"/>, or -errno.</summary>
    internal static int GetStatusFlags(IPollBackend backend, SafeHandle handle)
    {
        using var fd = new Lease(handle);
        return backend.GetStatusFlags(fd.Fd);
    }

    /// <summary>One read(2) into <paramref name="buffer"/>.</summary>
    public IOResult Read(SafeHandle handle, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return ReadResult(ReadRetrying(handle, buffer, default, default), 0);
    }

    /// <summary>One write(2) of <paramref name="data"/>; the result says how much was taken.</summary>
    public IOResult Write(SafeHandle handle, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return WriteResult(WriteRetrying(handle, data, default), 0);
    }

    /// <summary>
    /// The usual <see cref="PortDriver.OnInput"/>: with the driver queue empty, writes what the
    /// descriptor takes now (Erlang's rule: a command to an idle port goes straight to the fd);
    /// whatever is left is queued (<see cref="DriverContext.Enqueue"/>, which keeps the bytes) and
    /// <paramref name="handle"/> is selected for writing, so <see cref="PortDriver.OnWritable"/> can
    /// call <see cref="WriteQueue"/>. Failed when the write failed; nothing is queued then.
    /// </summary>
    public IOResult WriteOrQueue(SafeHandle handle, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(handle);
        long written = 0;
        if (_context.QueueSize == 0)
        {
            var result = Write(handle, data.Span);
            if (result.Status == IOStatus.Failed) return result;
            written = result.Bytes;
            if (written == data.Length) return result;
            data = data[(int)written..];
        }
        _context.Enqueue(data);
        _context.ChangeInterest(handle, add: Polling.PollEvents.Writable, remove: Polling.PollEvents.None);
        return new IOResult(IOStatus.Done, written, 0);
    }

    /// <summary>
    /// The usual <see cref="PortDriver.OnWritable"/>: writes the driver queue from its front
    /// (gathered, many segments per call) and dequeues what was written, until the queue is empty
    /// (then writability is no longer asked for: <see cref="IOStatus.Done"/>), the descriptor is full
    /// (<see cref="IOStatus.WouldBlock"/>) or a write fails (<see cref="IOStatus.Failed"/>).
    /// </summary>
    public IOResult WriteQueue(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        long total = 0;
        try
        {
            while (_context.QueueSize > 0 && !handle.IsClosed)
            {
                int count = _context.PeekQueue(_peek);
                nint n = WriteGathered(handle, count);
                if (n < 0) return WriteResult(n, total);
                // Dequeued with no reference held on the handle: emptying the queue can complete a
                // close, whose stop_select may close the handle at once (a Socket's Dispose waits
                // for every reference to go, and would wait forever for one held up the stack).
                _context.Dequeue(n);
                total += n;
            }
        }
        finally
        {
            _peek.AsSpan().Clear();
        }
        _context.ChangeInterest(handle, add: Polling.PollEvents.None, remove: Polling.PollEvents.Writable);
        return new IOResult(IOStatus.Done, total, 0);
    }

    /// <summary>One gathered write of the first <paramref name="count"/> peeked segments, holding a reference on the handle for the call only.</summary>
    private nint WriteGathered(SafeHandle handle, int count)
    {
        using var fd = new Lease(handle);
        nint n;
        do n = count == 1 ? Backend.Write(fd.Fd, _peek[0].Span, default) : Backend.WriteGather(fd.Fd, _peek.AsSpan(0, count));
        while (n == -Libc.EINTR);
        return n;
    }

    /// <summary>
    /// The usual <see cref="PortDriver.OnReadable"/>: reads what is there (a few reads, then back to
    /// the loop so other ports get their turn) and delivers it through the port's framing, as
    /// <see cref="DriverContext.DeliverData"/> would, without copying: payloads are slices of the
    /// reads (or, in zero-copy mode, of the loop's buffer), and the rest of a large packet is read
    /// straight into the packet. Stops early when reading is paused, the port closed or the handle
    /// was deselected meanwhile (by a framing error, say). <see cref="IOStatus.EndOfStream"/> and
    /// <see cref="IOStatus.Failed"/> tell the driver to end this stream; the port is not told.
    /// </summary>
    /// <param name="handle">A readable descriptor selected by this port.</param>
    /// <param name="readSize">Bytes asked for per read (beyond the rest of a packet being put together).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="readSize"/> is not positive.</exception>
    public IOResult ReadAndDeliver(SafeHandle handle, int readSize = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(readSize);
        var loop = _context.Scheduler;
        bool donate = !_context.IsZeroCopy;
        long total = 0;
        // A reference on the handle is held for each read only, not while delivering: delivery
        // runs user code and can end the port (a framing error, a subscriber that throws), whose
        // stop_select may close the handle at once (see WriteQueue).
        for (int reads = 0; reads < ReadsPerReadiness; reads++)
        {
            // The rest of a packet larger than a read goes straight into the packet (the kernel
            // copies it once); what follows goes where any read goes: owned delivery reads into
            // the loop's donation slabs (payloads are slices of the read, never copied), zero-copy
            // into the loop's shared buffer.
            var packet = _context.AssemblySpace;
            Memory<byte> space, next = default;
            if (donate) loop.GetDonationSpace(readSize, out space, out next);
            else space = loop.GetReadBuffer(readSize).AsMemory(0, readSize);
            nint n = ReadRetrying(handle, packet.Span, space.Span, next.Span);
            if (n <= 0) return ReadResult(n, total);
            total += n;
            int inPacket = Math.Min((int)n, packet.Length);
            int rest = (int)n - inPacket;
            if (donate && rest > 0) loop.CommitDonation(rest);
            var ownership = donate ? ChunkOwnership.Donated : ChunkOwnership.Transient;
            if (inPacket > 0) _context.CommitAssembly(inPacket, ownership);
            if (rest > 0)
            {
                // A read that went on into the next slab is two chunks; a frame across them is put
                // together by the decoder.
                _context.DeliverData(space[..Math.Min(rest, space.Length)], ownership);
                if (rest > space.Length) _context.DeliverData(next[..(rest - space.Length)], ownership);
            }
            // A short read drained the descriptor: skip the read that would only say EAGAIN.
            if (n < packet.Length + space.Length + next.Length || _context.IsReadingPaused || !_context.IsSelected(handle)) break;
        }
        return new IOResult(IOStatus.Done, total, 0);
    }

    /// <summary>
    /// A frame written straight to the output descriptor by a writer on any thread (see
    /// <see cref="DriverContext.EnableDirectWrites"/>). Returns the bytes written, 0 when the
    /// descriptor takes nothing now, or -errno (-EBADF when the loop closed it meanwhile).
    /// </summary>
    internal nint WriteDirect(SafeHandle handle, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        try
        {
            // The reference keeps the descriptor open, and its number ours, while the loop closes it.
            nint n = WriteRetrying(handle, header, payload);
            return n == -Libc.EAGAIN ? 0 : n;
        }
        catch (ObjectDisposedException)
        {
            // Closed on the loop meanwhile: the bytes take the loop's path, which knows why.
            return -Libc.EBADF;
        }
    }

    /// <summary>
    /// A reference held on a handle for the length of one call, so its descriptor number stays ours
    /// (closing it waits for the release); a closed handle throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    private readonly ref struct Lease
    {
        private readonly SafeHandle _handle;

        public Lease(SafeHandle handle)
        {
            bool added = false;
            handle.DangerousAddRef(ref added);
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose() => _handle.DangerousRelease();
    }

    /// <summary>One read into up to three buffers, EINTR retried, holding a reference on the handle for the call only.</summary>
    private nint ReadRetrying(SafeHandle handle, Span<byte> first, Span<byte> second, Span<byte> third)
    {
        using var fd = new Lease(handle);
        nint n;
        do n = Backend.Read(fd.Fd, first, second, third);
        while (n == -Libc.EINTR);
        return n;
    }

    /// <summary>One write of up to two buffers, EINTR retried, holding a reference on the handle for the call only.</summary>
    private nint WriteRetrying(SafeHandle handle, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        using var fd = new Lease(handle);
        nint n;
        do n = Backend.Write(fd.Fd, first, second);
        while (n == -Libc.EINTR);
        return n;
    }

    private static IOResult ReadResult(nint n, long before) => n switch
    {
        > 0 => new IOResult(IOStatus.Done, before + n, 0),
        0 => new IOResult(IOStatus.EndOfStream, before, 0),
        _ when n == -Libc.EAGAIN => new IOResult(IOStatus.WouldBlock, before, 0),
        _ => new IOResult(IOStatus.Failed, before, (int)-n),
    };

    private static IOResult WriteResult(nint n, long before) => n switch
    {
        >= 0 => new IOResult(IOStatus.Done, before + n, 0),
        _ when n == -Libc.EAGAIN => new IOResult(IOStatus.WouldBlock, before, 0),
        _ => new IOResult(IOStatus.Failed, before, (int)-n),
    };
}

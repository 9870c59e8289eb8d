using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// An in-memory pipe for virtual-time tests: a bounded byte buffer with a read end and a write
/// end, each a <see cref="SafeHandle"/> that a virtual <see cref="PollScheduler"/> can watch like a
/// real descriptor. Faults can be injected: short writes, EAGAIN, EPIPE (<see cref="MaxWrite"/>,
/// <see cref="FailNextWrite"/>, for every writer), or any fault of a <see cref="FaultPlan"/> on the
/// reads and writes the port makes through its loop (<see cref="Faults"/>). <see cref="Read"/> and
/// <see cref="Write"/> called directly are the other party's (a test's, a scripted child's) and
/// meet no plan.
/// </summary>
public sealed class VirtualPipe
{
    private readonly Queue<byte> _buffer = new();
    private readonly VirtualPollBackend _backend;
    private bool _readerClosed;
    private bool _writerClosed;

    /// <summary>Creates a pipe for the loop created by <see cref="VirtualTime.CreatePollScheduler"/>.</summary>
    /// <param name="scheduler">A virtual poll scheduler.</param>
    /// <param name="capacity">The buffer size in bytes (the kernel's default is 65,536).</param>
    /// <exception cref="ArgumentException"><paramref name="scheduler"/> is not a virtual poll scheduler.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    [CLSCompliant(false)] // PollScheduler comes from ReactivePorts, which declares no CLS compliance
    public VirtualPipe(PollScheduler scheduler, int capacity = 65536)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _backend = VirtualTime.BackendOf(scheduler)
            ?? throw new ArgumentException("The scheduler does not run in virtual time; create it with VirtualTime.CreatePollScheduler.", nameof(scheduler));
        Capacity = capacity;
        var readEnd = new End(this, reader: true);
        var writeEnd = new End(this, reader: false);
        Reader = new VirtualFdHandle(readEnd, () => { _readerClosed = true; Notify(); });
        Writer = new VirtualFdHandle(writeEnd, () => { _writerClosed = true; Notify(); });
    }

    /// <summary>The name faults and logs know the pipe by.</summary>
    public string Name { get; set; } = "pipe";

    /// <summary>Decides faults for the reads and writes a port makes on this pipe through its loop; null for none.</summary>
    public FaultPlan? Faults { get; set; }

    /// <summary>Whether the read end has been closed.</summary>
    public bool IsReaderClosed => _readerClosed;

    /// <summary>Whether the write end has been closed.</summary>
    public bool IsWriterClosed => _writerClosed;

    /// <summary>Called after anything changed (bytes in or out, an end closed): how the other party learns it may go on.</summary>
    internal Action? Changed { get; set; }

    private void Notify()
    {
        _backend.Wake();
        Changed?.Invoke();
    }

    /// <summary>The read end.</summary>
    public SafeHandle Reader { get; }

    /// <summary>The write end.</summary>
    public SafeHandle Writer { get; }

    /// <summary>The buffer size in bytes.</summary>
    public int Capacity { get; }

    /// <summary>Bytes buffered and not yet read.</summary>
    public int Available => _buffer.Count;

    /// <summary>When set, a write takes at most this many bytes (a short write).</summary>
    public int? MaxWrite { get; set; }

    /// <summary>When set, the next write fails with this errno (e.g. EAGAIN 11, EINTR 4, EPIPE 32), then the setting clears.</summary>
    public int? FailNextWrite { get; set; }

    /// <summary>Writes what fits; returns the count, or -errno (-EAGAIN when full, -EPIPE when the read end is closed).</summary>
    /// <exception cref="ObjectDisposedException">The write end is closed.</exception>
    public int Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_writerClosed, Writer);
        if (FailNextWrite is { } errno)
        {
            FailNextWrite = null;
            return -errno;
        }
        if (_readerClosed) return -Libc.EPIPE;
        int room = Capacity - _buffer.Count;
        if (room == 0) return data.IsEmpty ? 0 : -Libc.EAGAIN;
        int n = Math.Min(Math.Min(room, data.Length), MaxWrite ?? int.MaxValue);
        foreach (var b in data[..n]) _buffer.Enqueue(b);
        if (n > 0) Notify();
        return n;
    }

    /// <summary>Reads what is there; returns the count, 0 at end of file (write end closed and empty), or -EAGAIN.</summary>
    /// <exception cref="ObjectDisposedException">The read end is closed.</exception>
    public int Read(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_readerClosed, Reader);
        if (_buffer.Count == 0) return _writerClosed ? 0 : -Libc.EAGAIN;
        int n = Math.Min(destination.Length, _buffer.Count);
        for (int i = 0; i < n; i++) destination[i] = _buffer.Dequeue();
        if (n > 0) Notify();
        return n;
    }

    private sealed class End(VirtualPipe pipe, bool reader) : IVirtualDevice
    {
        // The port's calls, through its loop's backend: this is where a fault plan strikes.
        public int Read(Span<byte> destination)
        {
            if (!reader) return -Libc.EBADF;
            var fault = pipe.Faults?.Next(FaultOperation.Read, pipe.Name, destination.Length) ?? Fault.None;
            if (fault.Errno is { } errno) return -errno;
            if (fault.MaxBytes is { } max && max < destination.Length) destination = destination[..max];
            return pipe.Read(destination);
        }

        public int Write(ReadOnlySpan<byte> source)
        {
            if (reader) return -Libc.EBADF;
            var fault = pipe.Faults?.Next(FaultOperation.Write, pipe.Name, source.Length) ?? Fault.None;
            if (fault.Errno is { } errno) return -errno;
            if (fault.MaxBytes is { } max && max < source.Length) source = source[..max];
            return pipe.Write(source);
        }

        public PollEvents Readiness
        {
            get
            {
                if (reader)
                {
                    var ready = pipe._buffer.Count > 0 ? PollEvents.Readable : PollEvents.None;
                    return pipe._writerClosed ? ready | PollEvents.HangUp : ready;
                }
                if (pipe._readerClosed) return PollEvents.Error;
                return pipe._buffer.Count < pipe.Capacity ? PollEvents.Writable : PollEvents.None;
            }
        }
    }
}

using System.Reactive.Disposables;
using ReactivePorts.Polling;
using ReactivePorts.Polling.Backends;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// The poll loop's backend in virtual time: descriptors are in-memory devices, the clock is a
/// <see cref="TestScheduler"/>, and there is no thread — each loop iteration is work scheduled
/// on the test scheduler, at the virtual time a device changed or a timer falls due. Everything
/// above the loop runs unchanged, deterministically.
/// </summary>
internal sealed class VirtualPollBackend(TestScheduler clock) : IPollBackend
{
    private readonly Dictionary<int, (PollEvents Interest, ulong Token)> _watched = new();
    private readonly HashSet<long> _pumpsAt = new();
    private PollScheduler? _loop;
    private bool _disposed;

    public void Attach(PollScheduler loop) => _loop = loop;

    /// <summary>Descriptors the loop still watches (none once every port on it has closed).</summary>
    internal int WatchedCount => _watched.Count;

    public bool NeedsThread => false;

    public long GetTimestamp() => clock.Clock;

    public DateTimeOffset UtcNow => clock.Now;

    public int Add(int fd, PollEvents interest, ulong token)
    {
        if (VirtualFdTable.Find(fd) is null) return -Interop.Libc.EBADF;
        if (!_watched.TryAdd(fd, (interest, token))) return -Interop.Libc.EEXIST;
        return 0;
    }

    public int Modify(int fd, PollEvents interest, ulong token)
    {
        if (!_watched.ContainsKey(fd)) return -Interop.Libc.ENOENT;
        _watched[fd] = (interest, token);
        return 0;
    }

    public int Remove(int fd) => _watched.Remove(fd) ? 0 : -Interop.Libc.ENOENT;

    public int Wait(Span<PollEvent> events, int timeoutMs)
    {
        // Never blocks: in virtual time, waiting is the test scheduler's job.
        int n = 0;
        foreach (var (fd, (interest, token)) in _watched.OrderBy(w => w.Key))
        {
            if (n == events.Length) break;
            if (VirtualFdTable.Find(fd) is not { } device) continue;
            var ready = device.Readiness & (interest | PollEvents.Error | PollEvents.HangUp);
            if (ready != PollEvents.None) events[n++] = new PollEvent(token, ready);
        }
        return n;
    }

    // Descriptor I/O on the in-memory devices: the port stack reads and writes through here, so a
    // test supplies every byte, short write and errno it sees.
    public nint Read(int fd, Span<byte> first, Span<byte> second, Span<byte> third)
    {
        if (VirtualFdTable.Find(fd) is not { } device) return -Interop.Libc.EBADF;
        long total = 0;
        for (int i = 0; i < 3; i++)
        {
            var span = i == 0 ? first : i == 1 ? second : third;
            if (span.IsEmpty) continue;
            int n = device.Read(span);
            if (n < 0) return total > 0 ? (nint)total : n;
            total += n;
            if (n < span.Length) break;
        }
        return (nint)total;
    }

    public nint Write(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (VirtualFdTable.Find(fd) is not { } device) return -Interop.Libc.EBADF;
        int n = first.IsEmpty ? 0 : device.Write(first);
        if (n < 0 || n < first.Length || second.IsEmpty) return n;
        int m = device.Write(second);
        return m < 0 ? n : n + m;
    }

    // In-memory devices never block: O_NONBLOCK is how they always behave.
    public int SetNonBlocking(int fd, bool nonBlocking) => VirtualFdTable.Find(fd) is null ? -Interop.Libc.EBADF : 0;

    // Read and write, and non-blocking: the flags of a pipe end made with pipe2(O_NONBLOCK).
    public int GetStatusFlags(int fd) => VirtualFdTable.Find(fd) is null ? -Interop.Libc.EBADF : Interop.Libc.O_RDWR | Interop.Libc.O_NONBLOCK;

    public nint WriteGather(int fd, ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        if (VirtualFdTable.Find(fd) is not { } device) return -Interop.Libc.EBADF;
        long total = 0;
        foreach (var segment in segments)
        {
            int n = device.Write(segment.Span);
            if (n < 0) return total > 0 ? (nint)total : n;
            total += n;
            if (n < segment.Length) break;
        }
        return (nint)total;
    }

    /// <summary>Something changed (work queued, a device became ready): run an iteration at the next tick.</summary>
    public void Wake() => PumpAt(clock.Clock + 1);

    public void OnIdle(long? nextDue)
    {
        if (nextDue is { } due) PumpAt(due);
        // Level-triggered, like epoll: a ready, armed device is reported again on the next iteration.
        foreach (var (fd, (interest, _)) in _watched)
        {
            if (interest != PollEvents.None && VirtualFdTable.Find(fd) is { } device
                && (device.Readiness & (interest | PollEvents.Error | PollEvents.HangUp)) != 0)
            {
                PumpAt(clock.Clock + 1);
                break;
            }
        }
    }

    private void PumpAt(long due)
    {
        if (_disposed || _loop is null) return;
        due = Math.Max(due, clock.Clock + 1);
        if (!_pumpsAt.Add(due)) return;
        clock.ScheduleAbsolute(due, due, (_, at) =>
        {
            _pumpsAt.Remove(at);
            if (!_disposed) _loop.RunOnce();
            return Disposable.Empty;
        });
    }

    public void Dispose()
    {
        _disposed = true;
        _watched.Clear();
    }
}

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

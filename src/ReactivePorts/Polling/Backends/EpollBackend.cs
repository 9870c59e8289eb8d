using System.Diagnostics;
using ReactivePorts.Interop;

namespace ReactivePorts.Polling.Backends;

/// <summary>The real backend: one epoll instance and an eventfd to wake it.</summary>
internal sealed unsafe partial class EpollBackend : IPollBackend
{
    // Stopwatch ticks per TimeSpan tick (Linux: 1 ns stopwatch ticks, 100 per TimeSpan tick).
    private static readonly double s_toTimeSpanTicks = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly SafeFdHandle _epoll;
    private readonly SafeFdHandle _wake;
    private readonly int _epfd;
    private readonly int _wakeFd;
    private readonly byte* _buffer;
    private readonly int _capacity;

    public EpollBackend(int maxEventsPerWait = 256)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The epoll poll loop runs on Linux only.");
        _capacity = maxEventsPerWait;
        _epoll = Libc.EpollCreate();
        _wake = Libc.EventFd();
        _epfd = _epoll.Fd;
        _wakeFd = _wake.Fd;
        int rc = Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_ADD, _wakeFd, Libc.EPOLLIN, WakeToken);
        if (rc < 0) throw Libc.IOError("epoll_ctl", -rc);
        _buffer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(_capacity * Libc.EpollEventSize));
    }

    public bool NeedsThread => true;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public long GetTimestamp() => (long)(Stopwatch.GetTimestamp() * s_toTimeSpanTicks);

    public int Add(int fd, PollEvents interest, ulong token) => Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_ADD, fd, ToEpoll(interest), token);

    public int Modify(int fd, PollEvents interest, ulong token) => Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_MOD, fd, ToEpoll(interest), token);

    public int Remove(int fd) => Libc.EpollCtl(_epfd, Libc.EPOLL_CTL_DEL, fd, 0, 0);

    public int Wait(Span<PollEvent> events, int timeoutMs)
    {
        int max = Math.Min(events.Length, _capacity);
        int n = Libc.EpollWait(_epfd, _buffer, max, timeoutMs);
        if (n < 0) throw Libc.IOError("epoll_wait", -n);
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            ulong token = Libc.EpollEventData(_buffer, i);
            if (token == WakeToken)
            {
                Libc.EventFdDrain(_wakeFd);
                continue;
            }
            events[count++] = new PollEvent(token, FromEpoll(Libc.EpollEventMask(_buffer, i)));
        }
        return count;
    }

    public void Wake()
    {
        // Callers on other threads may race the loop's shutdown: a reference keeps the eventfd's
        // number from being closed (and reused by someone else) during the write.
        bool added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
            Libc.EventFdSignal(_wakeFd);
        }
        catch (ObjectDisposedException)
        {
            // The loop has stopped and closed its eventfd: there is nobody left to wake.
        }
        finally
        {
            if (added) _wake.DangerousRelease();
        }
    }

    public void OnIdle(long? nextDue) { }

    public void Dispose()
    {
        _wake.Dispose();
        _epoll.Dispose();
        System.Runtime.InteropServices.NativeMemory.Free(_buffer);
    }

    private static uint ToEpoll(PollEvents e) =>
        ((e & PollEvents.Readable) != 0 ? Libc.EPOLLIN : 0) | ((e & PollEvents.Writable) != 0 ? Libc.EPOLLOUT : 0);

    private static PollEvents FromEpoll(uint mask)
    {
        var e = PollEvents.None;
        if ((mask & (Libc.EPOLLIN | Libc.EPOLLPRI | Libc.EPOLLRDHUP)) != 0) e |= PollEvents.Readable;
        if ((mask & Libc.EPOLLOUT) != 0) e |= PollEvents.Writable;
        if ((mask & Libc.EPOLLERR) != 0) e |= PollEvents.Error;
        if ((mask & Libc.EPOLLHUP) != 0) e |= PollEvents.HangUp;
        return e;
    }
}

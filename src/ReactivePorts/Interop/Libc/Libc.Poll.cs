#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    internal const short POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Name, EntryPoint = "poll", SetLastError = true)]
    private static partial int PollRaw(PollFd* fds, nuint count, int timeoutMs);

    /// <summary>
    /// poll(2) on one descriptor: waits until it is ready for <paramref name="events"/> or
    /// <paramref name="timeoutMs"/> elapses (-1: forever), resuming after EINTR with the time left.
    /// Returns the revents mask (POLLHUP/POLLERR may come without being asked), 0 on timeout, or -errno.
    /// A blocking wait for tools and tests; the poll loop uses epoll.
    /// </summary>
    internal static int PollOne(SafeHandle fd, short events, int timeoutMs)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            PollFd entry = new() { Fd = (int)fd.DangerousGetHandle(), Events = events };
            long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
            while (true)
            {
                int wait = timeoutMs < 0 ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
                int n = PollRaw(&entry, 1, wait);
                if (n > 0) return entry.REvents;
                if (n == 0) return 0;
                int errno = LastErrno;
                if (errno != EINTR) return -errno;
            }
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }
}

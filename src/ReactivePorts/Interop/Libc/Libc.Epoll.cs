#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    internal const uint EPOLLIN = 0x001, EPOLLPRI = 0x002, EPOLLOUT = 0x004, EPOLLERR = 0x008,
        EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000, EPOLLONESHOT = 1u << 30, EPOLLET = 1u << 31;

    /// <summary>
    /// <c>sizeof(struct epoll_event)</c>: the kernel packs it to 12 bytes on x86_64
    /// (<c>__EPOLL_PACKED</c>) and aligns the 64-bit data to 16 bytes elsewhere (arm64).
    /// One binary runs on both, so the layout is picked at run time, not by a struct.
    /// </summary>
    internal static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of <c>epoll_data_t</c> inside <c>struct epoll_event</c>.</summary>
    internal static readonly int EpollDataOffset = EpollEventSize == 12 ? 4 : 8;

    [LibraryImport(Name, EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1Raw(int flags);

    [LibraryImport(Name, EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtlRaw(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Name, EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWaitRaw(int epfd, byte* events, int maxevents, int timeout);

    /// <summary>A close-on-exec epoll instance.</summary>
    internal static SafeFdHandle EpollCreate() => SafeFdHandle.FromResult(EpollCreate1Raw(EPOLL_CLOEXEC), "epoll_create1");

    /// <summary>epoll_ctl; returns 0 or -errno.</summary>
    internal static int EpollCtl(int epfd, int op, int fd, uint events, ulong data)
    {
        byte* ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, events);
        Unsafe.WriteUnaligned(ev + EpollDataOffset, data);
        return EpollCtlRaw(epfd, op, fd, op == EPOLL_CTL_DEL ? null : ev) == 0 ? 0 : -LastErrno;
    }

    /// <summary>
    /// epoll_wait into a raw buffer of <paramref name="maxEvents"/> events of
    /// <see cref="EpollEventSize"/> bytes. Returns the count, 0 on timeout or EINTR
    /// (the caller loops anyway), or -errno.
    /// </summary>
    internal static int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs)
    {
        int n = EpollWaitRaw(epfd, events, maxEvents, timeoutMs);
        if (n >= 0) return n;
        int errno = LastErrno;
        return errno == EINTR ? 0 : -errno;
    }

    /// <summary>Reads the events mask of event <paramref name="index"/> in an epoll_wait buffer.</summary>
    internal static uint EpollEventMask(byte* events, int index) =>
        Unsafe.ReadUnaligned<uint>(events + (index * EpollEventSize));

    /// <summary>Reads the 64-bit user data of event <paramref name="index"/> in an epoll_wait buffer.</summary>
    internal static ulong EpollEventData(byte* events, int index) =>
        Unsafe.ReadUnaligned<ulong>(events + (index * EpollEventSize) + EpollDataOffset);
}

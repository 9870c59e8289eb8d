using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Polling;

public sealed class EpollLayoutTests
{
    [Fact]
    public void EpollEvent_LayoutMatchesArchitecture()
    {
        // struct epoll_event is __EPOLL_PACKED on x86_64 only.
        (int size, int offset) expected = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? (12, 4) : (16, 8);
        Assert.Equal(expected, (Libc.EpollEventSize, Libc.EpollDataOffset));
    }

    [Fact]
    public unsafe void EpollWait_ReturnsTheTokenThatWasRegistered()
    {
        using var epoll = Libc.EpollCreate();
        using var efd = Libc.EventFd();
        const ulong token = 0x1122334455667788;
        Assert.Equal(0, Libc.EpollCtl(epoll.Fd, Libc.EPOLL_CTL_ADD, efd.Fd, Libc.EPOLLIN, token));
        Libc.EventFdSignal(efd.Fd);
        byte* buffer = stackalloc byte[64];
        Assert.Equal(1, Libc.EpollWait(epoll.Fd, buffer, 2, 1000));
        Assert.Equal(token, Libc.EpollEventData(buffer, 0));
        Assert.Equal(Libc.EPOLLIN, Libc.EpollEventMask(buffer, 0));
    }

    [Fact]
    public void Read_Eagain_IsReturnedNotThrown()
    {
        using var efd = Libc.EventFd();
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(-Libc.EAGAIN, Libc.Read(efd.Fd, buffer));
    }
}

using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Interop;

public unsafe class LibcEpollTests
{
    [Fact]
    public void EpollEvent_Layout_IsPackedOnX64()
    {
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            Assert.Equal(12, Libc.EpollEventSize);
            Assert.Equal(4, Libc.EpollDataOffset);
        }
        else
        {
            Assert.Equal(16, Libc.EpollEventSize);
            Assert.Equal(8, Libc.EpollDataOffset);
        }
    }

    [Fact]
    public void EpollWait_ReadablePipes_ReportsEachOnesData()
    {
        using SafeFdHandle epoll = Libc.EpollCreate();
        var (r1, w1) = Libc.Pipe();
        var (r2, w2) = Libc.Pipe();
        using (r1) using (w1) using (r2) using (w2)
        {
            Assert.Equal(0, Libc.EpollCtl(epoll.Fd, Libc.EPOLL_CTL_ADD, r1.Fd, Libc.EPOLLIN, 0x1122334455667788));
            Assert.Equal(0, Libc.EpollCtl(epoll.Fd, Libc.EPOLL_CTL_ADD, r2.Fd, Libc.EPOLLIN, 0xA5A5_0000_0000_0002));
            Libc.Write(w1.Fd, "x"u8);
            Libc.Write(w2.Fd, "y"u8);

            byte* events = stackalloc byte[Libc.EpollEventSize * 4];
            int n = Libc.EpollWait(epoll.Fd, events, 4, 5000);
            Assert.Equal(2, n);
            var seen = new HashSet<ulong>();
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(Libc.EPOLLIN, Libc.EpollEventMask(events, i));
                seen.Add(Libc.EpollEventData(events, i));
            }
            Assert.Equal([0x1122334455667788UL, 0xA5A5_0000_0000_0002UL], seen.Order());
        }
    }
}

using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Interop;

public class LibcTtyTests
{
    [Fact]
    public void IsATty_Pipe_IsFalse()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            Assert.False(Libc.IsATty(read));
            Assert.Null(Libc.TtyName(read, out int errno));
            Assert.Equal(Libc.ENOTTY, errno);
            Assert.Equal(-Libc.ENOTTY, Libc.GetWindowSize(read, out _));
        }
    }

    [Fact]
    public void IsATty_PseudoTerminalMaster_IsTrueAndHasAWindowSize()
    {
        // /dev/ptmx exists wherever devpts is mounted (it is on the project machine).
        if (!File.Exists("/dev/ptmx")) return;
        using SafeFdHandle master = Libc.Open("/dev/ptmx", Libc.O_RDWR | Libc.O_NOCTTY);
        Assert.True(Libc.IsATty(master));
        Assert.Equal(0, Libc.GetWindowSize(master, out Libc.WinSize size));
        Assert.Equal(0, size.Rows); // a fresh pty has no size until someone sets one
    }
}

using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Interop;

public class LibcPipeTests
{
    [Fact]
    public void Pipe_BothEnds_AreCloseOnExec()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            Assert.Equal(Libc.FD_CLOEXEC, Libc.GetDescriptorFlags(read) & Libc.FD_CLOEXEC);
            Assert.Equal(Libc.FD_CLOEXEC, Libc.GetDescriptorFlags(write) & Libc.FD_CLOEXEC);
            Assert.Equal(0, Libc.GetStatusFlags(read) & Libc.O_NONBLOCK);
        }
    }

    [Fact]
    public void Pipe_NonBlocking_SetsONonBlockOnBothEnds()
    {
        var (read, write) = Libc.Pipe(nonBlocking: true);
        using (read)
        using (write)
        {
            Assert.Equal(Libc.O_NONBLOCK, Libc.GetStatusFlags(read) & Libc.O_NONBLOCK);
            Assert.Equal(Libc.O_NONBLOCK, Libc.GetStatusFlags(write) & Libc.O_NONBLOCK);
            Assert.Equal(-Libc.EAGAIN, Libc.Read(read.Fd, new byte[1]));
        }
    }

    [Fact]
    public void SetNonBlocking_OneEnd_LeavesTheOtherBlocking()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            Libc.SetNonBlocking(read, true);
            Assert.Equal(Libc.O_NONBLOCK, Libc.GetStatusFlags(read) & Libc.O_NONBLOCK);
            Assert.Equal(0, Libc.GetStatusFlags(write) & Libc.O_NONBLOCK);
            Libc.SetNonBlocking(read, false);
            Assert.Equal(0, Libc.GetStatusFlags(read) & Libc.O_NONBLOCK);
        }
    }

    [Fact]
    public void SetPipeSize_OneMebibyte_GrowsThePipe()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            Assert.Equal(64 * 1024, Libc.GetPipeSize(write));
            Assert.Equal(1 << 20, Libc.SetPipeSize(write, 1 << 20));
            Assert.Equal(1 << 20, Libc.GetPipeSize(read));

            // A full 1 MiB now fits without a reader.
            Libc.SetNonBlocking(write, true);
            Assert.Equal(1 << 20, Libc.Write(write.Fd, new byte[1 << 20]));
        }
    }

    [Fact]
    public void SetPipeSize_NotAPipe_ReturnsMinusEbadf()
    {
        using SafeFdHandle devNull = Libc.Open("/dev/null", Libc.O_RDWR);
        Assert.Equal(-Libc.EBADF, Libc.SetPipeSize(devNull, 1 << 20));
    }

    [Fact]
    public void Fcntl_ClosedHandle_ThrowsObjectDisposed()
    {
        var (read, write) = Libc.Pipe();
        read.Dispose();
        write.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Libc.GetStatusFlags(read));
    }
}

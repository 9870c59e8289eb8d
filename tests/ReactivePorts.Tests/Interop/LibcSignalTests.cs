using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Interop;

public unsafe class LibcSignalTests
{
    [Fact]
    public void SigFillSet_Full_HoldsOrdinarySignalsAndEmptySetNone()
    {
        byte* set = stackalloc byte[Libc.SigSetSize];
        Assert.Equal(0, Libc.SigFillSet(set));
        Assert.Equal(1, Libc.SigIsMember(set, Libc.SIGTERM));
        Assert.Equal(1, Libc.SigIsMember(set, Libc.SIGKILL));
        Assert.Equal(0, Libc.SigEmptySet(set));
        Assert.Equal(0, Libc.SigIsMember(set, Libc.SIGTERM));
    }

    [Theory]
    [InlineData(9, "SIGKILL")]
    [InlineData(15, "SIGTERM")]
    [InlineData(13, "SIGPIPE")]
    [InlineData(31, "SIGSYS")]
    [InlineData(34, "SIGRTMIN")]
    [InlineData(36, "SIGRTMIN+2")]
    [InlineData(0, null)]
    [InlineData(99, null)]
    public void SignalName_Number_IsTheLinuxName(int signal, string? name) => Assert.Equal(name, Libc.SignalName(signal));

    [Fact]
    public void PollOne_EmptyThenWrittenPipe_TimesOutThenReportsPollIn()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            Assert.Equal(0, Libc.PollOne(read, Libc.POLLIN, 0));
            Libc.Write(write.Fd, "x"u8);
            Assert.Equal(Libc.POLLIN, Libc.PollOne(read, Libc.POLLIN, 1000));
            write.Dispose();
            Libc.Read(read.Fd, new byte[1]);
            Assert.Equal(Libc.POLLHUP, Libc.PollOne(read, Libc.POLLIN, 1000) & Libc.POLLHUP);
        }
    }
}

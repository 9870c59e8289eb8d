using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Interop;

public unsafe class LibcVectorTests
{
    [Fact]
    public void WriteV_TwoBuffers_ArriveInOrderAndReadVSplitsThem()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            byte[] head = "head:"u8.ToArray(), body = "body-bytes"u8.ToArray();
            fixed (byte* h = head, b = body)
            {
                ReadOnlySpan<Libc.IoVector> iov = [new(h, head.Length), new(b, body.Length)];
                Assert.Equal(15, Libc.WriteV(write.Fd, iov));
            }

            byte[] first = new byte[4], second = new byte[32];
            fixed (byte* f = first, s = second)
            {
                ReadOnlySpan<Libc.IoVector> iov = [new(f, first.Length), new(s, second.Length)];
                Assert.Equal(15, Libc.ReadV(read.Fd, iov));
            }
            Assert.Equal("head", System.Text.Encoding.ASCII.GetString(first));
            Assert.Equal(":body-bytes", System.Text.Encoding.ASCII.GetString(second, 0, 11));
        }
    }

    [Fact]
    public void IoVector_Layout_MatchesStructIovec() => Assert.Equal(16, sizeof(Libc.IoVector));

    [Fact]
    public void WriteV_ClosedReader_ReturnsMinusEpipe()
    {
        var (read, write) = Libc.Pipe();
        read.Dispose();
        using (write)
        {
            byte x = 1;
            // The runtime ignores SIGPIPE, so the error comes back as EPIPE.
            ReadOnlySpan<Libc.IoVector> iov = [new(&x, 1)];
            Assert.Equal(-Libc.EPIPE, Libc.WriteV(write.Fd, iov));
        }
    }
}

using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Drivers.Fd.FdTestKit;

namespace ReactivePorts.Tests.Drivers.Fd;

/// <summary>Fd ports on pipes, socket pairs and regular files: both directions, framing, ownership, end of input, failures.</summary>
public sealed class FdPortTests
{
    private static readonly TimeSpan Timeout = PortTestKit.TestTimeout;

    [Fact(Timeout = 20000)]
    public async Task OpenFd_Pipes_FramesBothWaysAndCompletesAtEof()
    {
        var (toPortRead, toPortWrite) = Libc.Pipe();
        var (fromPortRead, fromPortWrite) = Libc.Pipe();
        using (toPortRead) using (toPortWrite) using (fromPortRead) using (fromPortWrite)
        {
            await using var port = Port.OpenFd(toPortRead.Fd, fromPortWrite.Fd).WithFraming(FrameFormat.LengthPrefixed(4)).Open();
            var recorder = new PortRecorder(port);
            byte[] big = Pattern(200_000);
            await WriteAllAsync(toPortWrite, Framed(4, [], [1], big));
            var replies = ReadExactlyAsync(fromPortRead, 4 + 3 + 4 + 200_000);
            await port.WriteAsync(PortTestKit.Bytes("abc"));
            await port.WriteAsync(big);
            Assert.Equal(Framed(4, PortTestKit.Bytes("abc"), big), await replies.WaitAsync(Timeout));
            toPortWrite.Dispose(); // the peer closes: eof
            await recorder.Completed;
            Assert.Null(recorder.Error);
            Assert.Equal([0, 1, 200_000], recorder.Packets.Select(p => p.Length));
            Assert.Equal(big, recorder.Packets[2].Payload.ToArray());
            Assert.Null(port.OsPid);
            Assert.Equal("fd", port.DriverName);
            // Shared descriptors keep their flags: both pipes stayed blocking.
            Assert.False(IsNonBlocking(toPortRead));
            Assert.False(IsNonBlocking(fromPortWrite));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_NotOwned_ClosingLeavesDescriptorsOpenAndANewPortWorks()
    {
        var (read, write) = Libc.Pipe();
        var (outRead, outWrite) = Libc.Pipe();
        using (read) using (write) using (outRead) using (outWrite)
        {
            var spec = Port.OpenFd(read.Fd, outWrite.Fd).WithFraming(FrameFormat.Line(100));
            await using (var first = spec.Open())
            {
                var recorder = new PortRecorder(first);
                await WriteAllAsync(write, PortTestKit.Bytes("one\n"));
                Assert.Equal("one", PortTestKit.Text((await recorder.FirstPacket).Payload));
                await first.WriteAsync(PortTestKit.Bytes("x\n")); // line mode writes payloads as they are (Erlang's rule)
                Assert.Equal("x\n", PortTestKit.Text(await ReadExactlyAsync(outRead, 2).WaitAsync(Timeout)));
                await first.CloseAsync();
            }
            Assert.True(IsOpen(read.Fd) && IsOpen(outWrite.Fd));
            await using var second = spec.Open();
            var again = new PortRecorder(second);
            await WriteAllAsync(write, PortTestKit.Bytes("two\n"));
            Assert.Equal("two", PortTestKit.Text((await again.FirstPacket).Payload));
            await second.WriteAsync(PortTestKit.Bytes("y\n"));
            Assert.Equal("y\n", PortTestKit.Text(await ReadExactlyAsync(outRead, 2).WaitAsync(Timeout)));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_Owned_ClosingClosesDescriptors()
    {
        var (read, write) = Libc.Pipe();
        int fd = TestDup(read);
        read.Dispose();
        using (write)
        {
            var port = Port.OpenFd(fd, -1).WithOwnership().Open();
            var recorder = new PortRecorder(port);
            await port.Started.WaitAsync(Timeout);
            string? pipe = Target(fd);
            Assert.StartsWith("pipe:", pipe);
            await port.CloseAsync().WaitAsync(Timeout);
            // The pipe's only reader was the port's descriptor: the writer now meets EPIPE. (The
            // number itself may already belong to a descriptor another test opened meanwhile, so
            // it is checked not to lead to this pipe, rather than to be closed.)
            Assert.Equal(-Libc.EPIPE, Libc.Write(write.Fd, [1]));
            Assert.NotEqual(pipe, Target(fd));
        }
    }

    private static int TestDup(SafeFdHandle handle) => ReactivePorts.Tests.Interop.TestNative.Dup(handle.Fd);

    [Fact]
    public void OpenFd_InvalidDescriptor_ThrowsEbadfAtOpen()
    {
        var (read, write) = Libc.Pipe();
        int closed = read.Fd;
        read.Dispose();
        write.Dispose();
        var error = Assert.Throws<IOException>(() => Port.OpenFd(closed, -1).Open());
        Assert.Equal(Libc.EBADF, error.HResult);
        Assert.Contains("EBADF", error.Message);
        Assert.Throws<ArgumentException>(() => Port.OpenFd(-1, -1));
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_FullBlockingPipe_WritesOffTheLoopBusyExactAndInOrder()
    {
        var (outRead, outWrite) = Libc.Pipe();
        using (outRead) using (outWrite)
        {
            var loop = new ReactivePorts.Polling.PollScheduler();
            try
            {
                await using var port = Port.OpenFd(-1, outWrite.Fd).WithFraming(FrameFormat.LengthPrefixed(4)).WithScheduler(loop).Open();
                var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var _ = port.Busy.Subscribe(b => { if (b) busy.TrySetResult(); });
                // Nobody reads: the pipe (64 KiB) fills, the worker blocks in write(2), the rest stays queued.
                var payloads = Enumerable.Range(0, 40).Select(i => Pattern(4000, i)).ToArray();
                foreach (var p in payloads) port.WriteForced(p);
                await busy.Task.WaitAsync(Timeout);
                Assert.True(port.GetInfo().QueueSize > 0);
                // The loop is free meanwhile: another port on it works.
                var (r, w) = Libc.Pipe();
                using (r) using (w)
                {
                    await using var other = Port.OpenFd(r.Fd, -1).WithScheduler(loop).Open();
                    var rec = new PortRecorder(other);
                    await WriteAllAsync(w, [42]);
                    Assert.Equal(42, (await rec.FirstPacket).Payload.Span[0]);
                }
                var all = await ReadExactlyAsync(outRead, 40 * 4004).WaitAsync(Timeout);
                Assert.Equal(Framed(4, payloads), all);
                // Everything written: the queue is empty and the port ready again.
                await port.CloseAsync().WaitAsync(Timeout);
                Assert.False(IsNonBlocking(outWrite));
            }
            finally
            {
                loop.Dispose();
            }
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_CloseWithQueuedBytes_FlushesThemOffTheLoop()
    {
        var (outRead, outWrite) = Libc.Pipe();
        using (outRead) using (outWrite)
        {
            var port = Port.OpenFd(-1, outWrite.Fd).Open();
            var data = Pattern(300_000);
            port.WriteForced(data);
            var closing = port.CloseAsync(TimeSpan.FromSeconds(10));
            var read = await ReadExactlyAsync(outRead, data.Length).WaitAsync(Timeout);
            Assert.Equal(0, await closing.WaitAsync(Timeout)); // nothing was dropped
            Assert.Equal(data, read);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_SocketPair_OneDescriptorBothWaysWithLines()
    {
        var (mine, theirs) = SocketPair();
        using (mine) using (theirs)
        {
            await using var port = Port.OpenFd(theirs, theirs).WithFraming(FrameFormat.Line(64)).Open();
            var recorder = new PortRecorder(port);
            await WriteAllAsync(mine, PortTestKit.Bytes("hello\nworld\n"));
            await port.WriteAsync(PortTestKit.Bytes("reply\n"));
            Assert.Equal("reply\n", PortTestKit.Text(await ReadExactlyAsync(mine, 6).WaitAsync(Timeout)));
            mine.Dispose();
            await recorder.Completed;
            Assert.Equal(["hello", "world"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
            Assert.False(theirs.IsClosed); // a handle given to the port is never disposed by it
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_RegularFiles_ReadToEndAndWrittenOffTheLoop()
    {
        string dir = Directory.CreateTempSubdirectory("rp-fd-").FullName;
        try
        {
            string inPath = Path.Combine(dir, "in"), outPath = Path.Combine(dir, "out");
            var big = Pattern(150_000);
            File.WriteAllBytes(inPath, Framed(2, [], PortTestKit.Bytes("x"), Pattern(60_000)));
            using var input = File.OpenHandle(inPath);
            using var output = File.OpenHandle(outPath, FileMode.Create, FileAccess.Write);
            await using var port = Port.OpenFd(input, output).WithFraming(FrameFormat.LengthPrefixed(2)).WithEofMode().Open();
            var recorder = new PortRecorder(port);
            await recorder.Eof;
            Assert.Equal([0, 1, 60_000], recorder.Packets.Select(p => p.Length));
            await port.WriteAsync(PortTestKit.Bytes("hi"));
            await port.WriteAsync(Pattern(60_000));
            await port.CloseAsync().WaitAsync(Timeout);
            Assert.Equal(Framed(2, PortTestKit.Bytes("hi"), Pattern(60_000)), File.ReadAllBytes(outPath));
            _ = big;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_NonBlockingByItsOwner_KeepsWorkingAndStaysNonBlocking()
    {
        var (read, write) = Libc.Pipe(nonBlocking: true);
        var (outRead, outWrite) = Libc.Pipe(nonBlocking: true);
        using (read) using (write) using (outRead) using (outWrite)
        {
            await using (var port = Port.OpenFd(read.Fd, outWrite.Fd).WithFraming(FrameFormat.LengthPrefixed(4)).Open())
            {
                var recorder = new PortRecorder(port);
                var data = Pattern(300_000);
                var reading = ReadExactlyAsync(outRead, data.Length + 4);
                await port.WriteAsync(data);
                Assert.Equal(Framed(4, data), await reading.WaitAsync(Timeout));
                await WriteAllAsync(write, Framed(4, data));
                Assert.Equal(data, (await recorder.FirstPacket).Payload.ToArray());
            }
            Assert.True(IsNonBlocking(read) && IsNonBlocking(outWrite));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_ReaderOfTheOutputGone_ReportsEpipeAndKeepsReading()
    {
        var (read, write) = Libc.Pipe();
        var (outRead, outWrite) = Libc.Pipe();
        using (read) using (write) using (outWrite)
        {
            outRead.Dispose(); // closed under the port
            await using var port = Port.OpenFd(read.Fd, outWrite.Fd).Open();
            var recorder = new PortRecorder(port);
            port.WriteForced(PortTestKit.Bytes("lost"));
            await recorder.WriteFailed;
            var error = await Assert.ThrowsAsync<IOException>(async () => await port.WriteAsync(PortTestKit.Bytes("more")));
            Assert.Contains("EPIPE", error.Message);
            await WriteAllAsync(write, PortTestKit.Bytes("still"));
            Assert.Equal("still", PortTestKit.Text((await recorder.FirstPacket).Payload));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_HandleDisposedUnderThePort_StaysOpenUntilThePortCloses()
    {
        var (read, write) = Libc.Pipe();
        using (write)
        {
            int fd = read.Fd;
            string pipe = Target(fd)!; // the pipe itself, not the number, which others may reuse once closed
            var port = Port.OpenFd(read, null).Open();
            var recorder = new PortRecorder(port);
            await port.Started.WaitAsync(Timeout);
            read.Dispose(); // the owner lets go; the port still holds a reference
            Assert.Equal(pipe, Target(fd));
            await WriteAllAsync(write, PortTestKit.Bytes("z"));
            Assert.Equal("z", PortTestKit.Text((await recorder.FirstPacket).Payload));
            await port.CloseAsync().WaitAsync(Timeout);
            Assert.NotEqual(pipe, Target(fd)); // closed (or the number taken by something else)
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_FrameCutOffByEof_ReportedAsOnSpawnPorts()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        {
            await using var port = Port.OpenFd(read.Fd, -1).WithFraming(FrameFormat.LengthPrefixed(4)).Open();
            var recorder = new PortRecorder(port);
            await WriteAllAsync(write, [0, 0, 0, 10, 1, 2, 3]);
            write.Dispose();
            await recorder.Completed;
            var truncated = Assert.Single(recorder.Events.OfType<PortTruncatedFrame>());
            Assert.Equal(10, truncated.ExpectedBytes);
            Assert.Equal(3, truncated.ReceivedBytes);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Control_WindowSizeOfAPipe_FailsWithEnotty()
    {
        var (read, write) = Libc.Pipe();
        using (read) using (write)
        {
            await using var port = Port.OpenFd(read.Fd, write.Fd).Open();
            var error = await Assert.ThrowsAsync<IOException>(() => port.ControlAsync(FdControl.GetWindowSize, default).WaitAsync(Timeout));
            Assert.Equal(Libc.ENOTTY, error.HResult);
        }
    }
}

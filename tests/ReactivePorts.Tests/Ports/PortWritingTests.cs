using System.Collections.Concurrent;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Writing to a port: the driver queue, busy marks at exact sizes, the senders, EPIPE, disposal.</summary>
public sealed class PortWritingTests
{
    /// <summary>
    /// A child that reads nothing until the test writes to a FIFO, then reads exactly three 4 KiB pages
    /// (dd with fullblock), says "done" and sleeps. With a one-page pipe every queue size is exact:
    /// the pipe takes the first 4096 bytes, the queue holds the rest; three pages read move 12288 bytes.
    /// </summary>
    [Theory(Timeout = 30000)]
    [InlineData(8192, false)]  // queue drains to exactly the low mark: still busy
    [InlineData(8193, true)]   // …to one below it: ready, the waiting writer is admitted
    public async Task Busy_AtExactQueueSizes_OnAtHighMark_OffBelowLowMark(int low, bool readyAfterDrain)
    {
        const int high = 16384;
        string dir = Directory.CreateTempSubdirectory("rp-busy-").FullName;
        await using var scope = new PortScope();
        try
        {
            string fifo = await MakeFifo(dir);
            var port = scope.Open(Sh("read -r _ < \"$0\"; dd bs=4096 count=3 iflag=fullblock of=/dev/null 2>/dev/null; echo done; exec sleep 30", fifo)
                .WithPipeSize(4096).WithBusyLimits(low, high).WithFraming(FrameFormat.Line()));
            var busy = new ConcurrentQueue<bool>();
            port.Busy.Subscribe(busy.Enqueue);
            var recorder = new PortRecorder(port);
            await port.Scheduler.Barrier();
            Assert.Equal(4096, ((SpawnDriver)port.Core.Driver).InputPipeSize);

            Assert.True(port.TryWrite(new byte[4096]));          // straight into the empty pipe
            await port.Scheduler.Barrier();
            Assert.Equal(0, port.GetInfo().QueueSize);
            Assert.True(port.TryWrite(new byte[high - 1]));      // the pipe is full: all queued
            await port.Scheduler.Barrier();
            Assert.Equal((high - 1L, false), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));
            Assert.True(port.TryWrite(new byte[1]));             // reaches the mark: accepted, now busy
            await port.Scheduler.Barrier();
            Assert.Equal((high + 0L, true), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));
            Assert.False(port.TryWrite(new byte[1]));            // busy: refused
            port.WriteForced(new byte[4096]);                    // forced: past the mark
            await port.Scheduler.Barrier();
            Assert.Equal(high + 4096L, port.GetInfo().QueueSize);
            var waiting = port.WriteAsync(new byte[1]).AsTask();
            Assert.False(waiting.IsCompleted);

            // Let the child read three pages: 12288 bytes move from the queue into the pipe (20480 → 8192).
            await Task.Run(() => File.WriteAllText(fifo, "go\n")).WaitAsync(TestTimeout);
            Assert.Equal("done", Text((await recorder.FirstPacket).Payload));
            await port.Scheduler.Barrier();
            if (readyAfterDrain)
            {
                await waiting.WaitAsync(TestTimeout);
                Assert.Equal((8192L + 1, false), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));
                await port.Scheduler.Barrier();
                Assert.Equal([false, true, false], busy);
            }
            else
            {
                Assert.Equal((8192L, true), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));
                Assert.False(waiting.IsCompleted);
                Assert.Equal([false, true], busy);
                port.Kill();
                // The child is gone: the queue is dropped (EPIPE) and the waiting writer fails.
                await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(TestTimeout));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task WithoutBusyMarks_NeverBusy()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithoutBusyMarks());
        for (int i = 0; i < 8; i++) Assert.True(port.TryWrite(new byte[64 * 1024]));
        await port.Scheduler.Barrier();
        Assert.Equal((8 * 64 * 1024L - ((SpawnDriver)port.Core.Driver).InputPipeSize, false), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));
    }

    [Fact(Timeout = 20000)]
    public async Task Writer_ChannelWriter_WritesThenCompleteHalfCloses()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(port);
        var writer = port.Writer;
        Assert.True(await writer.WaitToWriteAsync());
        Assert.True(writer.TryWrite(Bytes("one\n")));
        await writer.WriteAsync(Bytes("two\n"));
        writer.Complete();
        await recorder.Completed;
        Assert.Equal("one\ntwo\n", recorder.Text);
        Assert.Equal(0, (await port.Exit).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Write_SmallPayloadsOnTheLoop_AreCoalescedIntoOneWrite()
    {
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("read-sizes"));
        var recorder = new PortRecorder(port);
        await port.Scheduler.OnLoop(() =>
        {
            for (int i = 0; i < 100; i++) Assert.True(port.TryWrite(Bytes("0123456789")));
        });
        port.CompleteInput();
        await recorder.Completed;
        Assert.Equal("1000\n", recorder.Text); // one read: the hundred payloads went out as one write
    }

    [Fact(Timeout = 20000)]
    public async Task WriteForced_LargePayload_IsCopiedOnceOnly()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithFraming(FrameFormat.LengthPrefixed(4)));
        var payload = new byte[1 << 20];
        port.WriteForced(payload); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        port.WriteForced(payload);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, payload.Length, payload.Length + 4096);
    }

    [Fact(Timeout = 20000)]
    public async Task WriteAsync_AfterTheChildHasGone_FaultsWithEpipe_ReportedOnce_ExitStillReported()
    {
        await using var scope = new PortScope();
        // The child exits at once; a background grandchild keeps the output open (and does not
        // read: its input is /dev/null), so the port stays open and writing hits a closed pipe.
        var port = scope.Open(Sh("sleep 30 & echo $!; exit 3").WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        int grandchild = int.Parse(Text((await recorder.FirstPacket).Payload));
        scope.AddPid(grandchild);
        Assert.Equal(3, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);

        await port.Scheduler.Barrier();
        // Reaped: the child's input is gone, so every write fails at once (unlike Erlang, which says true).
        var failure = await Assert.ThrowsAsync<IOException>(() => port.WriteAsync(Bytes("more\n")).AsTask());
        Assert.Contains("EPIPE", failure.Message);
        Assert.Throws<IOException>(() => port.TryWrite(Bytes("x")));
        port.Input.OnNext(Bytes("never throws I/O errors\n"));

        ReactivePorts.Interop.Libc.Kill(grandchild, ReactivePorts.Interop.Libc.SIGKILL);
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal(["Exited(exit code 3)", "Closed"], recorder.Kinds); // nothing was queued: no write-failure event
    }

    [Fact(Timeout = 20000)]
    public async Task AnyCall_OnADisposedPort_ThrowsObjectDisposed_ClosingAgainIsANoOp()
    {
        var port = Port.SpawnExecutable("/bin/cat").Open();
        var recorder = new PortRecorder(port);
        await port.DisposeAsync();
        await recorder.Completed;
        Assert.Throws<ObjectDisposedException>(() => { _ = port.WriteAsync(Bytes("x")); });
        Assert.Throws<ObjectDisposedException>(() => port.TryWrite(Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => port.WriteForced(Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => port.CompleteInput());
        Assert.Throws<ObjectDisposedException>(() => port.Input.OnNext(Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => port.Signal(15));
        Assert.Throws<ObjectDisposedException>(() => port.Kill());
        Assert.Throws<ObjectDisposedException>(() => port.Control(1, default));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => port.StopAsync(TimeSpan.Zero));
        Assert.Equal(0, await port.CloseAsync());
        port.Dispose();
        await port.DisposeAsync();
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode); // cat saw end of file: not killed
    }
}

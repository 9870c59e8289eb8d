using System.Buffers.Binary;
using System.Reactive.Concurrency;
using ReactivePorts.Framing;

namespace ReactivePorts.Tests.Ports;

/// <summary>
/// The write path under load: direct writes from callers, coalescing on the loop, busy waits and
/// half-close must keep every byte, in order, whatever the payload sizes.
/// </summary>
public sealed class WritePathTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory(Timeout = 30000)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task WriteAsync_MixedSizesFromSeveralThreads_EchoedInOrderPerWriter(int writers)
    {
        await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).Open();
        var order = new PerWriterOrder(writers);
        port.Output.Subscribe(order);
        const int perWriter = 3000;
        int[] sizes = [9, 64, 1000, 5000, 70000, 64, 200, 16384];
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (long seq = 0; seq < perWriter; seq++)
            {
                await port.WriteAsync(PerWriterOrder.Payload(w, seq, sizes[(int)((seq + w) % sizes.Length)]));
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Timeout);
        port.CompleteInput();
        await order.Done.WaitAsync(Timeout);
        Assert.Null(order.Failure);
        Assert.Equal(writers * perWriter, order.Received);
        Assert.Equal(0, (await port.Exit).ExitCode);
    }

    /// <summary>Packets larger than a read are read straight into the packet; every byte must still be there, in order, whether owned or transient.</summary>
    [Theory(Timeout = 30000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LargePackets_ReadIntoThePacket_EchoedIntact(bool zeroCopy)
    {
        var spec = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4));
        await using var port = (zeroCopy ? spec.WithZeroCopy() : spec).Open();
        int[] sizes = [1 << 20, 65537, 3, 200_000, 65532, 1, 300_000];
        var sent = sizes.Select((size, i) => { var p = new byte[size]; new Random(i).NextBytes(p); return p; }).ToArray();
        var received = new List<byte[]>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p => received.Add(p.Payload.ToArray()), e => done.TrySetException(e), () => done.TrySetResult());
        for (int round = 0; round < 3; round++)
            foreach (var payload in sent) await port.WriteAsync(payload);
        port.CompleteInput();
        await done.Task.WaitAsync(Timeout);
        Assert.Equal(3 * sent.Length, received.Count);
        for (int i = 0; i < received.Count; i++)
            Assert.True(sent[i % sent.Length].AsSpan().SequenceEqual(received[i]), $"packet {i} differs");
    }

    [Fact(Timeout = 30000)]
    public async Task WriteAsync_RawStreamThenHalfClose_EveryByteBack()
    {
        await using var port = Port.SpawnExecutable("/bin/cat").Open();
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        var back = new MemoryStream();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p => back.Write(p.Payload.Span), e => done.TrySetException(e), () => done.TrySetResult());
        for (int offset = 0, i = 0; offset < data.Length; i++)
        {
            int n = Math.Min(data.Length - offset, i % 3 == 0 ? 65536 : i % 3 == 1 ? 100 : 9000);
            await port.WriteAsync(data.AsMemory(offset, n));
            offset += n;
        }
        port.CompleteInput();
        await done.Task.WaitAsync(Timeout);
        Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));
    }

    [Fact(Timeout = 30000)]
    public async Task WriteAsync_ChildGone_FailsWithIOException()
    {
        await using var port = Port.SpawnExecutable("/bin/true").Open();
        port.Output.Subscribe(_ => { }, _ => { }, () => { });
        await port.Exit.WaitAsync(Timeout);
        var payload = new byte[100_000];
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await port.WriteAsync(payload).AsTask().WaitAsync(Timeout);
                await Task.Delay(10);
            }
        });
        Assert.True(error is IOException or ObjectDisposedException, error.ToString());
    }

    /// <summary>
    /// A small write to an idle port, not right after another, goes to the child from the caller's
    /// thread (Erlang's rule for an idle port): it arrives while the loop is held up, so a request
    /// and its reply never wait for a hop to the loop.
    /// </summary>
    [Fact(Timeout = 30000)]
    public async Task WriteAsync_SparseSmallWrite_IsWrittenByTheCaller_NotTheLoop()
    {
        string dir = Directory.CreateTempSubdirectory("rp-direct-").FullName;
        try
        {
            string fifo = await PortTestKit.MakeFifo(dir);
            await using var port = PortTestKit.Sh("exec head -c 5 > \"$0\"", fifo).Open();
            port.Output.Subscribe(_ => { }, _ => { }, () => { });
            var read = Task.Run(() => File.ReadAllText(fifo)); // ends when head has written 5 bytes and exited
            using var release = new ManualResetEventSlim();
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            port.Scheduler.Schedule(() =>
            {
                held.SetResult();
                release.Wait(Timeout);
            });
            await held.Task.WaitAsync(Timeout);
            try
            {
                await port.WriteAsync("hello"u8.ToArray()).AsTask().WaitAsync(Timeout);
                Assert.Equal("hello", await read.WaitAsync(Timeout));
            }
            finally
            {
                release.Set();
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

using System.Buffers.Binary;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>
/// <see cref="Port.WriteBatchAsync"/>: many payloads as one command, each framed, against real
/// children: order and content through <c>cat</c>, acceptance past the busy mark, waiting while
/// busy, and usage errors that send nothing.
/// </summary>
public sealed class WriteBatchTests
{
    [Theory(Timeout = 30000)]
    [InlineData(1, 64, 3000, "array")]      // {packet,1}, small batches of small frames: written by the caller or coalesced by the loop
    [InlineData(2, 64, 2000, "array")]      // {packet,2}
    [InlineData(4, 512, 400, "array")]      // {packet,4}, batches larger than the pipe: partial direct writes continue on the loop
    [InlineData(4, 512, 400, "list")]       // a List<T> is walked as a span, as an array
    [InlineData(2, 64, 2000, "read-only")]  // any other IReadOnlyList<T> through its indexer
    public async Task WriteBatchAsync_FramesEachPayload_EchoedInOrder(int header, int batchSize, int batches, string listKind)
    {
        await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(header)).Open();
        long expected = 0;
        string? failure = null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p =>
        {
            var span = p.Payload.Span;
            long seq = BinaryPrimitives.ReadInt64BigEndian(span);
            if (seq != expected || span.Length != Size(seq) || span[^1] != (byte)seq) failure ??= $"packet {expected}: got seq {seq}, {span.Length} bytes";
            expected++;
        }, e => done.TrySetException(e), () => done.TrySetResult());

        // Sizes vary (8 to 300 bytes, and for 2- and 4-byte headers one of 20,000 now and then) so
        // frames straddle batch buffers.
        int Size(long seq) => header == 1 ? 8 + (int)(seq * 31 % 248) : seq % 997 == 0 ? 20_000 : 8 + (int)(seq * 31 % 293);
        var buffer = new byte[batchSize * 20_000];
        var payloads = new ReadOnlyMemory<byte>[batchSize];
        long next = 0;
        for (int b = 0; b < batches; b++)
        {
            int offset = 0;
            for (int k = 0; k < batchSize; k++, next++)
            {
                var payload = buffer.AsMemory(offset, Size(next));
                BinaryPrimitives.WriteInt64BigEndian(payload.Span, next);
                payload.Span[^1] = (byte)next;
                payloads[k] = payload;
                offset += payload.Length;
            }
            // The buffer is rewritten for the next batch only after this one was accepted (copied).
            await port.WriteBatchAsync(listKind switch
            {
                "list" => new List<ReadOnlyMemory<byte>>(payloads),
                "read-only" => Array.AsReadOnly(payloads),
                _ => payloads,
            });
        }
        port.CompleteInput();
        await done.Task.WaitAsync(TestTimeout);
        Assert.Null(failure);
        Assert.Equal(next, expected);
        Assert.Equal(0, (await port.Exit).ExitCode);
    }

    [Fact(Timeout = 30000)]
    public async Task WriteBatchAsync_OnABusyPort_WaitsThenGoesInWhole_AfterEarlierWaiters()
    {
        await using var scope = new PortScope();
        // A child that reads nothing until told to, then echoes: everything written waits in the queue.
        string dir = Directory.CreateTempSubdirectory("rp-batch-").FullName;
        try
        {
            string fifo = await MakeFifo(dir);
            var port = scope.Open(Sh("read -r _ < \"$0\"; exec cat", fifo)
                .WithPipeSize(4096).WithBusyLimits(4096, 8192).WithFraming(FrameFormat.LengthPrefixed(2)));
            var received = new List<int>();
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            port.Output.Subscribe(p =>
            {
                received.Add(p.Payload.Span[0]);
                if (received.Count == 1 + 1 + 40 + 3) all.TrySetResult();
            });
            await port.Scheduler.Barrier();
            Assert.Equal(4096, ((SpawnDriver)port.Core.Driver).InputPipeSize);

            Assert.True(port.TryWrite(Fill(0, 4094)));            // fills the pipe exactly (2 + 4094)
            // Forty 300-byte frames as one command: 12,080 bytes, accepted whole though past the mark.
            await port.WriteBatchAsync(Enumerable.Range(0, 40).Select(_ => (ReadOnlyMemory<byte>)Fill(2, 300)).ToArray())
                .AsTask().WaitAsync(TestTimeout);
            await port.Scheduler.Barrier();
            Assert.Equal((40 * 302L, true), (port.GetInfo().QueueSize, port.GetInfo().IsBusy));

            var single = port.WriteAsync(Fill(1, 10)).AsTask();   // waits
            var batch = port.WriteBatchAsync([Fill(3, 1), Fill(3, 2), Fill(3, 3)]).AsTask(); // waits behind it
            Assert.False(port.TryWrite(Fill(9, 1)));
            Assert.False(single.IsCompleted);
            Assert.False(batch.IsCompleted);

            await Task.Run(() => File.WriteAllText(fifo, "go\n")).WaitAsync(TestTimeout);
            await Task.WhenAll(single, batch).WaitAsync(TestTimeout);
            await all.Task.WaitAsync(TestTimeout);
            // Order of acceptance: the pipe's frame, the batch, the earlier waiter, the later batch.
            Assert.Equal([0, .. Enumerable.Repeat(2, 40), 1, 3, 3, 3], received);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// A child that keeps reading while a caller streams small batches: the output is never idle,
    /// yet the batch buffers come back as soon as their bytes are written, so the writer allocates
    /// nothing per batch beyond parking when the port is busy (a buffer per 64 KiB, about 4 KiB a
    /// batch here, if they were not reused).
    /// </summary>
    [Theory(Timeout = 30000)]
    [InlineData(0)] // no header (a byte stream): the payloads follow each other
    [InlineData(4)]
    public async Task WriteBatchAsync_SizesAroundTheCoalescingLimit_ArriveByteForByte(int header)
    {
        // Around the 16 KiB up to which payloads share batch buffers, and around the 64 KiB buffer.
        int[] sizes = [1, 16_383, 16_384, 16_385, 3, 65_532, 65_536, 0, 20_000, 7];
        var payloads = sizes.Select((n, k) => (ReadOnlyMemory<byte>)Enumerable.Range(0, n).Select(i => (byte)(i * 7 + k)).ToArray()).ToArray();
        var expected = payloads.SelectMany(p =>
        {
            var frame = new byte[header + p.Length];
            if (header == 4) BinaryPrimitives.WriteInt32BigEndian(frame, p.Length);
            p.Span.CopyTo(frame.AsSpan(header));
            return frame;
        }).ToArray();
        // cat echoes the encoded frames; the port decodes them again, and each packet's header is put
        // back, so what is compared is the byte stream the child got.
        await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(header == 0 ? FrameFormat.Stream : FrameFormat.LengthPrefixed(header)).Open();
        var received = new List<byte>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p =>
        {
            if (header == 4) AppendHeader(received, p.Length);
            received.AddRange(p.Payload.ToArray());
        }, e => done.TrySetException(e), () => done.TrySetResult());
        for (int round = 0; round < 3; round++) await port.WriteBatchAsync(payloads);
        port.CompleteInput();
        await done.Task.WaitAsync(TestTimeout);
        Assert.Equal(expected.Concat(expected).Concat(expected).ToArray(), received.ToArray());
    }

    private static void AppendHeader(List<byte> into, int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        into.AddRange(header);
    }

    [Fact(Timeout = 30000)]
    public async Task WriteBatchAsync_SteadyStream_ReusesBatchBuffers()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec cat >/dev/null").WithFraming(FrameFormat.LengthPrefixed(4)));
        var payloads = Enumerable.Range(0, 64).Select(_ => (ReadOnlyMemory<byte>)new byte[64]).ToArray();
        const int batches = 4000;
        long allocated = 0, waits = 0;
        var writer = new Thread(() =>
        {
            for (int i = 0; i < batches; i++)
            {
                if (i == batches / 4) allocated = GC.GetAllocatedBytesForCurrentThread(); // after warm-up
                var write = port.WriteBatchAsync(payloads);
                if (write.IsCompleted) continue;
                waits++;
                write.AsTask().Wait();
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        });
        writer.Start();
        Assert.True(await Task.Run(() => writer.Join(TestTimeout)));
        // Each wait allocates its waiter (a few hundred bytes); the rest must be next to nothing.
        Assert.InRange(allocated, 0, 3 * batches / 4 * 64 + waits * 1024);
        await port.CloseAsync();
    }

    [Fact(Timeout = 20000)]
    public async Task WriteBatchAsync_WaitingBatch_CanBeCanceled_NothingOfItIsSent()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096).WithBusyLimits(4096, 8192));
        port.WriteForced(new byte[4096 + 8192]);
        await port.Scheduler.Barrier();
        Assert.True(port.GetInfo().IsBusy);
        using var cts = new CancellationTokenSource();
        var batch = port.WriteBatchAsync([new byte[100], new byte[100]], cts.Token).AsTask();
        Assert.False(batch.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.WaitAsync(TestTimeout));
        await port.Scheduler.Barrier();
        Assert.Equal(8192L, port.GetInfo().QueueSize);
    }

    [Fact(Timeout = 20000)]
    public async Task WriteBatchAsync_UsageErrors_AreSynchronous_AndSendNothing()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithFraming(FrameFormat.LengthPrefixed(1)));
        Assert.Throws<ArgumentNullException>(() => { _ = port.WriteBatchAsync(null!); });
        // One payload over {packet,1}'s 255-byte limit: the message names it, and nothing is sent.
        var error = Assert.Throws<PacketTooLargeException>(() => { _ = port.WriteBatchAsync([new byte[10], new byte[256]]); });
        Assert.Contains("256", error.Message);
        Assert.Contains("255", error.Message);
        Assert.True(port.WriteBatchAsync([]).IsCompletedSuccessfully);
        await port.Scheduler.Barrier();
        Assert.Equal(0L, port.GetInfo().BytesWritten);

        var outputOnly = scope.Open(Sh("exec sleep 30").WithDirection(PortDirection.In));
        Assert.Throws<InvalidOperationException>(() => { _ = outputOnly.WriteBatchAsync([]); });

        await port.CloseAsync();
        Assert.Throws<ObjectDisposedException>(() => { _ = port.WriteBatchAsync([new byte[1]]); });
    }

    /// <summary>Batches and single writes from several threads at once: each writer's packets arrive in its order, none lost.</summary>
    [Fact(Timeout = 30000)]
    public async Task BatchesAndSingleWrites_FromSeveralThreads_KeepEachWritersOrder()
    {
        await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).Open();
        const int writers = 4, perWriter = 20_000;
        var order = new PerWriterOrder(writers);
        port.Output.Subscribe(order);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            long seq = 0;
            while (seq < perWriter)
            {
                // Odd writers batch (1 to 100 packets, each its own array), even ones write one by one;
                // sizes from 10 bytes to 20 KiB, so direct writes, coalescing and own buffers all occur.
                int count = w % 2 == 1 ? (int)Math.Min(random.Next(1, 101), perWriter - seq) : 1;
                var batch = new ReadOnlyMemory<byte>[count];
                for (int k = 0; k < count; k++, seq++)
                {
                    batch[k] = PerWriterOrder.Payload(w, seq, random.Next(0, 10) == 0 ? random.Next(4096, 20_000) : random.Next(10, 300));
                }
                if (count == 1 && w % 2 == 0) await port.WriteAsync(batch[0]);
                else await port.WriteBatchAsync(batch);
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TestTimeout);
        port.CompleteInput();
        await order.Done.WaitAsync(TestTimeout);
        Assert.Null(order.Failure);
        Assert.Equal(writers * (long)perWriter, order.Received);
    }

    [Fact(Timeout = 30000)]
    public async Task ChildExitsMidStream_BatchWritesFaultWithIOException_EveryByteItWroteArrives_ExitReported()
    {
        // The child echoes the first 100,000 bytes and exits while batches keep coming.
        await using var port = Sh("head -c 100000").WithFraming(FrameFormat.LengthPrefixed(2)).Open();
        long bytes = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p => bytes += p.Length + 2, e => done.TrySetException(e), () => done.TrySetResult());
        var payloads = Enumerable.Range(0, 50).Select(_ => (ReadOnlyMemory<byte>)new byte[98]).ToArray(); // 5,000 B a batch
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            for (int i = 0; i < 10_000; i++) await port.WriteBatchAsync(payloads).AsTask().WaitAsync(TestTimeout);
        });
        Assert.True(error is IOException or ObjectDisposedException, error.ToString());
        await done.Task.WaitAsync(TestTimeout);
        Assert.Equal(100_000, bytes); // all of what head wrote: 1,000 whole frames
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Close_FailsAWaitingBatch_WithObjectDisposed()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(4096).WithBusyLimits(4096, 8192).WithKillOnClose());
        port.WriteForced(new byte[4096 + 8192]);
        await port.Scheduler.Barrier();
        var batch = port.WriteBatchAsync([new byte[10]]).AsTask();
        Assert.False(batch.IsCompleted);
        var dropped = await port.CloseAsync(TimeSpan.Zero).WaitAsync(TestTimeout);
        Assert.Equal(8192, dropped);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batch.WaitAsync(TestTimeout));
    }

    private static byte[] Fill(byte value, int length)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }
}

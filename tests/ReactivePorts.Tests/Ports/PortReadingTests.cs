using ReactivePortsPeer;
using System.Reactive.Concurrency;
using ReactivePorts.Framing;
using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Reading a port: order, exit status, framing errors, signals, bounded hand-offs.</summary>
public sealed class PortReadingTests
{
    [Fact(Timeout = 20000)]
    public async Task Output_200KBThenExit7_AllDataThenEofThenStatusThenCompletion()
    {
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("write-exit", "204800", "7"));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal(204800, recorder.Bytes.Length);
        Assert.Equal(-1, FloodPattern.FirstMismatch(recorder.Bytes));
        Assert.Equal(["Exited(exit code 7)", "Closed"], recorder.Kinds);
        Assert.True(recorder.ExitKnownAtCompletion);
        var status = await port.Exit;
        Assert.Equal((7, 7, (int?)null, false), (status.ExitCode, status.ErlangStatus, status.Signal, status.Success));
    }

    [Fact(Timeout = 20000)]
    public async Task WithExitValidation_NonZeroExit_FailsAfterTheStatus()
    {
        await using var scope = new PortScope();
        var recorder = new PortRecorder(scope.Open(Sh("echo data; exit 3").WithExitValidation()));
        await recorder.Completed;
        var error = Assert.IsType<PortExitException>(recorder.Error);
        Assert.Equal(3, error.Status.ExitCode);
        Assert.Equal("data\n", recorder.Text);
        Assert.Equal("Exited(exit code 3)", recorder.Kinds[0]);

        var success = new PortRecorder(scope.Open(Sh("exit 0").WithExitValidation()));
        await success.Completed;
        Assert.Null(success.Error);
    }

    [Fact(Timeout = 20000)]
    public async Task Output_OversizedFrame_FailsAtOnce_WithoutWaitingForTheChild()
    {
        await using var scope = new PortScope();
        // A {packet,1} header announcing 10 bytes where at most 4 are allowed; one good frame first;
        // then the child stays alive: the port must not wait for it.
        var port = scope.Open(Sh("printf '\\002ok\\012abcdefghij'; exec sleep 30").WithFraming(FrameFormat.LengthPrefixed(1, maxPacketSize: 4)));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        var error = Assert.IsType<PacketTooLargeException>(recorder.Error);
        Assert.Equal((10L, 4L), (error.AnnouncedSize, error.Limit));
        Assert.Equal("ok", Text(Assert.Single(recorder.Packets).Payload));
        Assert.Equal(["Closed(" + error.Message + ")"], recorder.Kinds); // nothing else, no exit status
        Assert.False(port.Exit.IsCompleted);
        Assert.True(IsAlive(port.OsPid!.Value)); // not killed: its pipes are closed
    }

    [Theory(Timeout = 20000)]
    [InlineData("\\200\\000\\000\\000", 0x80000000L)]
    [InlineData("\\377\\377\\377\\377", 0xFFFFFFFFL)]
    public async Task Output_HugeHeader_Packet4_FailsAtOnce_WithAnnouncedSizeAndLimit(string header, long announced)
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh($"printf '{header}'; exec cat").WithFraming(FrameFormat.LengthPrefixed(4)));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        var error = Assert.IsType<PacketTooLargeException>(recorder.Error);
        Assert.Equal((announced, (long)FrameFormat.DefaultMaxPacketSize), (error.AnnouncedSize, error.Limit));
        // cat sees end of file on its input (the port's pipes are closed) and exits by itself.
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Theory(Timeout = 20000)]
    [InlineData("\\000\\012abc", 10L, 3L, false)]  // a header promising 10 bytes, 3 arrive
    [InlineData("\\000", 2L, 1L, true)]               // end of file inside the header
    public async Task Output_TruncatedFrame_IsReportedBeforeTheExitStatus_ThenEndsNormally(string bytes, long expected, long received, bool inHeader)
    {
        await using var scope = new PortScope();
        var recorder = new PortRecorder(scope.Open(Sh($"printf '\\000\\002ok{bytes}'; exit 4").WithFraming(FrameFormat.LengthPrefixed(2))));
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal("ok", Text(Assert.Single(recorder.Packets).Payload));
        var truncated = Assert.IsType<PortTruncatedFrame>(recorder.Events.SkipWhile(e => e is PortData).First());
        Assert.Equal(new PortTruncatedFrame(expected, received, inHeader), truncated);
        Assert.Equal([truncated.ToString(), "Exited(exit code 4)", "Closed"], recorder.Kinds);
    }

    [Fact(Timeout = 20000)]
    public async Task Output_ChildKilledBySignal_DeliversEverythingItWroteFirst()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("head -c 100000 /dev/zero; kill -9 $$"));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Null(recorder.Error); // a signal is an exit status, not an error
        Assert.Equal(100000, recorder.Bytes.Length);
        var status = await port.Exit;
        Assert.Equal((9, 137, (int?)null, "SIGKILL"), (status.Signal, status.ErlangStatus, status.ExitCode, status.SignalName));
        Assert.Equal("killed by signal 9 (SIGKILL)", status.ToString());
    }

    [Fact(Timeout = 20000)]
    public async Task Exit_CoreDump_IsReported()
    {
        string dir = Directory.CreateTempSubdirectory("rp-core-").FullName;
        try
        {
            // core_pattern is "core" here: the dump lands in the child's directory.
            var result = await Sh("ulimit -c unlimited; kill -QUIT $$").WithWorkingDirectory(dir).ExecuteBufferedAsync().WaitAsync(TestTimeout);
            Assert.Equal((3, true, 131), (result.Status.Signal, result.Status.CoreDumped, result.Status.ErlangStatus));
            Assert.EndsWith("core dumped", result.Status.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 30000)]
    public async Task Output_OneMiBPackets_RoundTripIntact()
    {
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("lp-echo", "4").WithFraming(FrameFormat.LengthPrefixed(4)));
        var recorder = new PortRecorder(port);
        var payloads = Enumerable.Range(0, 3).Select(i =>
        {
            var p = new byte[1 << 20];
            FloodPattern.Fill(p, i);
            return p;
        }).ToArray();
        foreach (var p in payloads) await port.WriteAsync(p);
        port.CompleteInput();
        await recorder.Completed;
        Assert.Null(recorder.Error);
        var packets = recorder.Packets;
        Assert.Equal(3, packets.Count);
        for (int i = 0; i < 3; i++) Assert.Equal(-1, FloodPattern.FirstMismatch(packets[i].Payload.Span, i));
    }

    /// <summary>Iterates loop barriers (no sleeping) until <paramref name="condition"/> holds on the loop.</summary>
    private static async Task LoopUntil(Port port, Func<bool> condition)
    {
        for (int i = 0; i < 10000; i++)
        {
            if (await port.Scheduler.OnLoop(condition)) return;
            await port.Scheduler.Barrier();
        }
        Assert.Fail("condition not reached");
    }

    [Fact(Timeout = 30000)]
    public async Task ObserveOn_SlowSubscriber_StopsReadingWhileFull_LosesNothing()
    {
        const int total = 4 << 20;
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("flood", total.ToString()));
        using var release = new ManualResetEventSlim();
        using var consumer = new EventLoopScheduler();
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0, mismatch = -1;
        using var subscription = port.Output.ObserveOn(consumer, capacity: 4).Subscribe(p =>
        {
            firstSeen.TrySetResult();
            release.Wait(TestTimeout); // the slow subscriber, held until the test has looked
            if (mismatch < 0) mismatch = FloodPattern.FirstMismatch(p.Payload.Span, received);
            received += p.Length;
        }, ex => done.TrySetException(ex), () => done.TrySetResult());
        await firstSeen.Task.WaitAsync(TestTimeout);
        await LoopUntil(port, () => port.Core.IsReadingPaused);
        long readWhilePaused = port.GetInfo().BytesRead;
        await port.Scheduler.Barrier();
        Assert.Equal(readWhilePaused, port.GetInfo().BytesRead); // paused: nothing more is read
        // At most capacity packets (+ the one being handled, + one read's worth) are held.
        Assert.True(readWhilePaused <= 6 * 64 * 1024, $"{readWhilePaused} bytes read while the subscriber was stuck");
        Assert.False(port.Exit.IsCompleted); // the child is blocked on its full pipe
        release.Set();
        await done.Task.WaitAsync(TestTimeout);
        Assert.Equal((total, -1L), (received, mismatch));
    }

    [Theory(Timeout = 30000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandOff_ZeroCopyPort_PacketsStayIntactAfterTheNextReads(bool asyncEnumerable)
    {
        // Zero-copy payloads point into the loop's read buffer: the hand-offs queue them past OnNext,
        // so they must copy them (a consumer that starts late lets later reads overwrite the buffer).
        const int count = 4000;
        static byte[] Payload(int i) => Enumerable.Range(0, 100).Select(k => (byte)(i * 7 + k)).Prepend((byte)(i >> 8)).Prepend((byte)i).ToArray();
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).WithZeroCopy());
        Assert.True(port.IsZeroCopy);
        var received = new List<byte[]>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var consumer = new EventLoopScheduler();
        Task consumed;
        if (asyncEnumerable)
        {
            consumed = Task.Run(async () =>
            {
                await foreach (var packet in port.Output.ToAsyncEnumerable(capacity: count))
                {
                    await start.Task;
                    received.Add(packet.Payload.ToArray());
                }
            });
        }
        else
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            port.Output.ObserveOn(consumer, capacity: count).Subscribe(p =>
            {
                start.Task.Wait(TestTimeout);
                received.Add(p.Payload.ToArray());
            }, ex => done.TrySetException(ex), () => done.TrySetResult());
            consumed = done.Task;
        }
        await port.WriteBatchAsync(Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Payload(i)).ToList());
        port.CompleteInput();
        await LoopUntil(port, () => port.GetInfo().PacketsRead == count); // every packet read while the consumer waits
        start.SetResult();
        await consumed.WaitAsync(TestTimeout);
        Assert.Equal(count, received.Count);
        for (int i = 0; i < count; i++) Assert.True(Payload(i).AsSpan().SequenceEqual(received[i]), $"packet {i} was overwritten");
    }

    [Fact(Timeout = 30000)]
    public async Task ToAsyncEnumerable_SlowConsumer_StopsReadingWhileFull_LosesNothing()
    {
        const int total = 4 << 20;
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("flood", total.ToString()));
        long received = 0;
        bool checkedPause = false;
        await foreach (var packet in port.Output.ToAsyncEnumerable(capacity: 2))
        {
            Assert.Equal(-1, FloodPattern.FirstMismatch(packet.Payload.Span, received));
            received += packet.Length;
            if (checkedPause) continue;
            checkedPause = true;
            await LoopUntil(port, () => port.Core.IsReadingPaused);
            Assert.True(port.GetInfo().BytesRead <= 4 * 64 * 1024, $"{port.GetInfo().BytesRead} bytes read");
        }
        Assert.Equal(total, received);
        Assert.True((await port.Exit).Success);
    }

    [Fact(Timeout = 20000)]
    public async Task Output_OnNext_RunsOnTheLoopThread()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("echo a"));
        bool? onLoop = null;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(_ => onLoop = port.Scheduler.IsLoopThread, () => done.SetResult());
        await done.Task.WaitAsync(TestTimeout);
        Assert.True(onLoop);
    }
}

using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using ReactivePorts.Framing;
using static ReactivePorts.Akka.Tests.PortStreamKit;

namespace ReactivePorts.Akka.Tests;

/// <summary>Ports as stream stages, against real children (sh, head, cat), with the stream test kit's probes.</summary>
public sealed class PortStreamsTests : global::Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;
    private readonly TaskCompletionSource<Port> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PortStreamsTests() : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    /// <summary>Opens <paramref name="spec"/> and hands the port to the test, which watches its counters.</summary>
    private Func<Port> Opening(SpawnSpec spec) => () =>
    {
        var port = spec.Open();
        _opened.TrySetResult(port);
        return port;
    };

    private Task<Port> Opened => _opened.Task.WaitAsync(PortStreamKit.Timeout);

    [Fact(Timeout = 30000)]
    public async Task Source_DemandOfOne_ReadsAtMostOneRead_ThenTheChildBlocks_AndCancellingClosesThePort()
    {
        // 8 MB of output, far more than the pipe holds: the child finishes only if the port reads on.
        var (outcome, probe) = PortStreams.Source(Opening(Sh("exec head -c 8000000 /dev/zero")))
            .ToMaterialized(this.SinkProbe<Packet>(), Keep.Both)
            .Run(_materializer);
        var port = await Opened;
        await probe.EnsureSubscriptionAsync();
        Assert.Equal(0, port.GetInfo().BytesRead);

        for (int i = 1; i <= 3; i++)
        {
            await probe.RequestAsync(1);
            await probe.ExpectNextAsync(PortStreamKit.Timeout);
            Assert.InRange(port.GetInfo().BytesRead, 1, (i + 1) * ReadSize);
        }
        // Nothing more is asked for: the port stopped reading and the child sleeps on its full pipe.
        long read = port.GetInfo().BytesRead;
        await WaitUntilBlockedWriting(port.OsPid!.Value);
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(read, port.GetInfo().BytesRead);
        Assert.False(port.Exit.IsCompleted);

        await probe.CancelAsync();
        await port.Completion.WaitAsync(PortStreamKit.Timeout);
        Assert.NotEqual(PortState.Open, port.State);
        // Its pipe closed, head dies of SIGPIPE: the materialized value carries that status.
        var status = await outcome.WaitAsync(PortStreamKit.Timeout);
        Assert.Equal(13, status!.Value.Signal);
    }

    [Fact(Timeout = 30000)]
    public async Task Flow_DownstreamCancellation_ClosesThePort_AndCancelsUpstream()
    {
        var ((upstream, outcome), downstream) = this.SourceProbe<ReadOnlyMemory<byte>>()
            .ViaMaterialized(PortStreams.Flow(Opening(Cat4())), Keep.Both)
            .ToMaterialized(this.SinkProbe<Packet>(), Keep.Both)
            .Run(_materializer);
        var port = await Opened;
        // The stage's input buffer is one element: upstream is asked for exactly one.
        Assert.Equal(1, await upstream.ExpectRequestAsync());
        await upstream.SendNextAsync(Payload(1, 100));
        await downstream.RequestAsync(1);
        Assert.Equal(Payload(1, 100), (await downstream.ExpectNextAsync()).Payload.ToArray());

        await downstream.CancelAsync();
        await upstream.ExpectCancellationAsync();
        await port.Completion.WaitAsync(PortStreamKit.Timeout);
        Assert.NotEqual(PortState.Open, port.State);
        // cat reads end of file once its pipe is closed, and exits 0.
        Assert.Equal(0, (await outcome.WaitAsync(PortStreamKit.Timeout))!.Value.ExitCode);
    }

    [Fact(Timeout = 30000)]
    public async Task Flow_UpstreamFailure_AbortsThePort_AndFailsDownstream()
    {
        var ((upstream, outcome), downstream) = this.SourceProbe<ReadOnlyMemory<byte>>()
            .ViaMaterialized(PortStreams.Flow(Opening(Cat4())), Keep.Both)
            .ToMaterialized(this.SinkProbe<Packet>(), Keep.Both)
            .Run(_materializer);
        var port = await Opened;
        await downstream.RequestAsync(1);
        await upstream.ExpectRequestAsync();
        var boom = new InvalidOperationException("boom");
        await upstream.SendErrorAsync(boom);

        Assert.Same(boom, await downstream.ExpectErrorAsync());
        var aborted = await Assert.ThrowsAsync<PortAbortedException>(() => port.Completion.WaitAsync(PortStreamKit.Timeout));
        Assert.Contains("boom", aborted.Reason);
        await Assert.ThrowsAsync<PortAbortedException>(() => outcome.WaitAsync(PortStreamKit.Timeout));
    }

    [Fact(Timeout = 30000)]
    public async Task Flow_NoDemandDownstream_ChildStalls_PortTurnsBusy_AndUpstreamIsHeldBack_ThenEveryPacketArrivesInOrder()
    {
        const int count = 3000, size = 1000, frame = size + 4;
        long pulled = 0;
        var (outcome, downstream) = Source.From(Enumerable.Range(0, count))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return (ReadOnlyMemory<byte>)Payload(i, size);
            })
            .ViaMaterialized(PortStreams.Flow(Opening(Cat4())), Keep.Right)
            .ToMaterialized(this.SinkProbe<Packet>(), Keep.Both)
            .Run(_materializer);
        var port = await Opened;
        await downstream.EnsureSubscriptionAsync();

        // Nobody reads cat's output, so cat blocks writing it and stops reading its input; the port's
        // queue fills to the busy mark, and the stage stops pulling.
        await WhenBusy(port);
        await WaitUntilBlockedWriting(port.OsPid!.Value);
        // The pipe and the queue settle (the loop may still be moving the last bytes): wait until two
        // looks 20 ms apart agree.
        var (info, held) = await Settled(port, () => Volatile.Read(ref pulled));
        Assert.True(info.IsBusy);
        // Busy from the write that reached the mark, ready again below half of it; never beyond one frame past it.
        Assert.InRange(info.QueueSize, BusyMark / 2, BusyMark + frame);
        Assert.InRange(held * frame - info.BytesWritten, 0, frame); // at most the one element waiting to be accepted
        Assert.True(held < count / 2, $"pulled {held} of {count}");
        Assert.Equal(0, info.BytesRead);
        // And it stays so.
        await downstream.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(held, Volatile.Read(ref pulled));
        Assert.Equal(info.BytesWritten, port.GetInfo().BytesWritten);

        for (int i = 0; i < count; i++)
        {
            var packet = await downstream.RequestNextAsync(PortStreamKit.Timeout);
            Assert.True(Payload(i, size).AsSpan().SequenceEqual(packet.Payload.Span), $"packet {i} differs");
            Assert.InRange(port.GetInfo().QueueSize, 0, BusyMark + frame);
        }
        await downstream.RequestAsync(1);
        await downstream.ExpectCompleteAsync();
        Assert.Equal(0, (await outcome.WaitAsync(PortStreamKit.Timeout))!.Value.ExitCode);
    }

    /// <summary>Port counters and a count, once two looks 20 ms apart agree.</summary>
    private static async Task<(PortInfo Info, long Count)> Settled(Port port, Func<long> count)
    {
        var deadline = DateTime.UtcNow + PortStreamKit.Timeout;
        var last = (port.GetInfo(), count());
        while (true)
        {
            await Task.Delay(20);
            var now = (port.GetInfo(), count());
            if (now == last) return now;
            Assert.True(DateTime.UtcNow < deadline, "the port never settled");
            last = now;
        }
    }

    [Fact(Timeout = 30000)]
    public async Task Flow_EveryByteArrivesInOrder_WholePackets_OfAnySize()
    {
        var random = new Random(20);
        var sizes = Enumerable.Range(0, 400).Select(_ => random.Next(0, 3) switch { 0 => random.Next(0, 16), 1 => random.Next(16, 4096), _ => random.Next(4096, 200_000) }).ToArray();
        await AssertRoundTrip(Cat4(), sizes);
    }

    [Fact(Timeout = 30000)]
    public async Task Flow_ZeroCopyPort_PacketsStayIntactAfterTheNextReads()
    {
        // Zero-copy payloads point into the loop's read buffer; the stage pushes them later, on the
        // stream's thread, after more reads: it must have copied them.
        await AssertRoundTrip(Cat4().WithZeroCopy(), Enumerable.Range(0, 3000).Select(i => 1 + i * 37 % 500).ToArray());
    }

    /// <summary>Payloads of <paramref name="sizes"/> through a flow on <paramref name="spec"/>: every one comes back whole, in order.</summary>
    private async Task AssertRoundTrip(SpawnSpec spec, int[] sizes)
    {
        var packets = await Source.From(Enumerable.Range(0, sizes.Length))
            .Select(i => (ReadOnlyMemory<byte>)Payload(i, sizes[i]))
            .Via(PortStreams.Flow(spec))
            .RunWith(Sink.Seq<Packet>(), _materializer)
            .WaitAsync(PortStreamKit.Timeout);
        Assert.Equal(sizes.Length, packets.Count);
        for (int i = 0; i < sizes.Length; i++)
            Assert.True(Payload(i, sizes[i]).AsSpan().SequenceEqual(packets[i].Payload.Span), $"packet {i} ({sizes[i]} bytes) differs");
    }

    [Fact(Timeout = 30000)]
    public async Task Sink_WritesEveryPayload_ThenClosesThePort_WithTheExitStatus()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rp-akka-{Guid.NewGuid():N}");
        try
        {
            var payloads = Enumerable.Range(0, 500).Select(i => Payload(i, 1 + i * 7 % 3000)).ToArray();
            var status = await Source.From(payloads)
                .Select(p => (ReadOnlyMemory<byte>)p)
                .RunWith(PortStreams.Sink(Sh($"exec cat > '{file}'")), _materializer)
                .WaitAsync(PortStreamKit.Timeout);
            Assert.Equal(0, status!.Value.ExitCode);
            Assert.Equal(payloads.SelectMany(p => p).ToArray(), await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 30000)]
    public async Task OpenFailure_FailsTheStage_AndTheMaterializedValue()
    {
        var (outcome, probe) = PortStreams.Source(Port.SpawnExecutable("/nonexistent/program"))
            .ToMaterialized(this.SinkProbe<Packet>(), Keep.Both)
            .Run(_materializer);
        var error = await probe.ExpectSubscriptionAndErrorAsync();
        Assert.IsType<PortSpawnException>(error);
        await Assert.ThrowsAsync<PortSpawnException>(() => outcome.WaitAsync(PortStreamKit.Timeout));
        Assert.Throws<ArgumentNullException>(() => PortStreams.Flow((Func<Port>)null!));
    }
}

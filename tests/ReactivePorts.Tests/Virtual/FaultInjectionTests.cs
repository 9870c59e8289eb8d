using System.Reactive.Concurrency;
using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;
using static ReactivePorts.Tests.Virtual.VirtualTestKit;

namespace ReactivePorts.Tests.Virtual;

/// <summary>Faults on the virtual backend: the port stack recovers from the recoverable ones, reports the terminal ones, and a seed replays exactly.</summary>
public sealed class FaultInjectionTests
{
    private static readonly FrameFormat Framing = FrameFormat.LengthPrefixed(2);

    /// <summary>An echo child; 20 packets written, each answered 5 ticks later; returns the packets the port got with their ticks, and the world.</summary>
    private static (List<string> Transcript, VirtualWorld World) EchoRun(FaultPlan? faults)
    {
        var (clock, world) = NewWorld(faults);
        world.AddChild("echo", ChildScript.Idle.SplitWrites([3, 1, 7], gap: 2)
            .Reply(Framing, after: 5, packet => (byte[])[0, (byte)packet.Length, .. packet.Span]));
        var port = Port.Spawn("echo").WithFraming(Framing).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        for (int i = 0; i < 20; i++)
        {
            string text = $"packet {i}";
            clock.ScheduleAbsolute(100 + i * 3, () => Assert.True(port.TryWrite(Bytes(text))));
        }
        clock.AdvanceTo(5000);
        return (log, world);
    }

    [Fact]
    public void SeededFaults_ShortReadsWritesEagainEintr_SamePacketsAsWithoutFaults()
    {
        var expected = WithoutTicks(EchoRun(null).Transcript);
        Assert.Equal(20, expected.Count);
        for (int seed = 1; seed <= 30; seed++)
        {
            var faults = new SeededFaults(seed);
            var (transcript, _) = EchoRun(faults);
            Assert.True(expected.SequenceEqual(WithoutTicks(transcript)), $"seed {seed}: {string.Join(", ", transcript)}\nfaults: {string.Join("; ", faults.Log)}");
            Assert.NotEmpty(faults.Log);
        }
    }

    [Fact]
    public void SeededFaults_SameSeed_ReplaysExactly_TicksAndFaults()
    {
        var first = new SeededFaults(1234);
        var second = new SeededFaults(1234);
        var (a, worldA) = EchoRun(first);
        var (b, worldB) = EchoRun(second);
        Assert.Equal(a, b);
        Assert.Equal(first.Log, second.Log);
        Assert.Equal(worldA.Children[0].Received.Select(r => r.Time), worldB.Children[0].Received.Select(r => r.Time));
        var other = new SeededFaults(4321);
        EchoRun(other);
        Assert.NotEqual(first.Log, other.Log); // a seed matters
    }

    [Fact]
    public void ScriptedFaults_EagainBurstThenShortRead_DataArrivesLaterButWhole()
    {
        var faults = new ScriptedFaults(
            reads: [Fault.Error(Fault.EAGAIN), Fault.Error(Fault.EAGAIN), Fault.Error(Fault.EAGAIN), Fault.Short(2)],
            writes: []);
        var (clock, world) = NewWorld(faults);
        world.AddChild("worker", ChildScript.Idle.Write(100, "hello\n").Exit(200, 0));
        var port = Port.Spawn("worker").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(1000);
        // 101, 102, 103: EAGAIN (read again at each tick, level-triggered); 104: 2 bytes (a short read
        // ends the port's reads for this readiness, as it would drain a real pipe); 105: the rest.
        Assert.Equal(["105 Data(hello)", "201 Exited(exit code 0)", "201 Closed", "201 completed"], log);
        Assert.Equal(0, faults.Remaining);
    }

    [Fact]
    public void ScriptedFaults_EintrThenEpipeOnWrite_RetriedThenReportedAsWriteFailure()
    {
        var faults = new ScriptedFaults(reads: [], writes: [Fault.Error(Fault.EINTR), Fault.Short(1), Fault.Error(Fault.EPIPE)]);
        var (clock, world) = NewWorld(faults);
        world.AddChild("reader", ChildScript.Idle);
        var port = Port.Spawn("reader").WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(10);
        Assert.True(port.TryWrite(Bytes("abc"))); // EINTR (retried), then 1 byte; the rest queued
        clock.AdvanceTo(100);                     // the queue's write: EPIPE
        Assert.Equal("a", Text(world.Children[0].ReceivedBytes));
        Assert.Contains(log, l => l.Contains("WriteFailed") && l.Contains("EPIPE"));
        Assert.Throws<IOException>(() => port.TryWrite(Bytes("d")));
    }

    [Fact]
    public void SeededFaults_BadRates_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededFaults(1, new FaultRates { ShortRead = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededFaults(1, new FaultRates { MaxWouldBlockBurst = 0 }));
    }
}

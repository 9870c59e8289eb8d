using System.Reactive.Concurrency;
using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;
using static ReactivePorts.Tests.Virtual.VirtualTestKit;

namespace ReactivePorts.Tests.Virtual;

/// <summary>Scripted children behind ports opened with the ordinary spawn call, on a virtual world's loop.</summary>
public sealed class ScriptedChildTests
{
    [Fact]
    public void Spawn_ScriptedChild_DataThenExitStatusThenCompletion_AtTheirTicks()
    {
        var (clock, world) = NewWorld();
        world.AddChild("worker", ChildScript.Idle.Write(100, "a\nb\n").Exit(300, 3));
        var port = Port.Spawn("worker").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(1000);
        Assert.Equal(["101 Data(a)", "101 Data(b)", "301 Exited(exit code 3)", "301 Closed", "301 completed"], log);
        Assert.Equal(ExitStatus.Exited(3), Done(port.Exit));
        Assert.Equal(1000, port.OsPid);
    }

    [Fact]
    public void Spawn_ChildWritesFramesSplitAtOddSizes_PacketsArriveWhole()
    {
        var (clock, world) = NewWorld();
        byte[] stream = [0, 3, .. Bytes("one"), 0, 0, 0, 5, .. Bytes("three"), 0, 1, .. Bytes("x")];
        world.AddChild("framer", ChildScript.Idle.SplitWrites([1, 2, 5, 3], gap: 10).Write(100, stream).CloseOutput(500).Exit(600, 0));
        var port = Port.Spawn("framer").WithFraming(FrameFormat.LengthPrefixed(2)).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(1000);
        // Pieces at 100 (1 byte), 110 (2), 120 (5), 130 (3), 140 (1), 150 (2), 160 (3, the rest): each frame arrives with the piece that completes it.
        Assert.Equal(["121 Data(one)", "121 Data()", "151 Data(three)", "161 Data(x)", "601 Exited(exit code 0)", "601 Closed", "601 completed"], log);
        Assert.Equal([1, 2, 5, 3, 1, 2, 3], world.Children[0].Written.Select(w => w.Value.Length));
    }

    [Fact]
    public void Spawn_ChildDiesBySignal9_StatusIs137AfterItsData()
    {
        var (clock, world) = NewWorld();
        world.AddChild("victim", ChildScript.Idle.Write(10, "last words\n").Die(50, 9));
        var port = Port.Spawn("victim").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(100);
        Assert.Equal(["11 Data(last words)", "51 Exited(killed by signal 9 (SIGKILL))", "51 Closed", "51 completed"], log);
        var status = Done(port.Exit);
        Assert.Equal(9, status.Signal);
        Assert.Equal(137, status.ErlangStatus);
    }

    [Fact]
    public void Spawn_ChildClosesStdoutBeforeExiting_ExitStillComesBeforeCompletion()
    {
        var (clock, world) = NewWorld();
        world.AddChild("worker", ChildScript.Idle.Write(100, "hi\n").CloseOutput(250).Exit(300, 3));
        var port = Port.Spawn("worker").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(260);
        Assert.Equal(["101 Data(hi)"], log); // eof at 251, held for the exit status (Erlang's order)
        clock.AdvanceTo(1000);
        Assert.Equal(["101 Data(hi)", "301 Exited(exit code 3)", "301 Closed", "301 completed"], log);
    }

    [Fact]
    public void Spawn_ChildAnswersEachPacket50TicksLater_AndRecordsWhatItReceived()
    {
        var (clock, world) = NewWorld();
        var framing = FrameFormat.LengthPrefixed(2);
        world.AddChild("echo", ChildScript.Idle.Reply(framing, after: 50, packet => (byte[])[0, (byte)(packet.Length + 1), .. packet.Span, (byte)'!']));
        var port = Port.Spawn("echo").WithFraming(framing).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.ScheduleAbsolute(100, () => port.TryWrite(Bytes("ping")));
        clock.ScheduleAbsolute(400, () => port.TryWrite(Bytes("again")));
        clock.AdvanceTo(1000);
        var child = world.Children.Single();
        // Written at 100 (straight to the pipe from the writer), read by the child at 101, answered at 151, read by the port at 152.
        Assert.Equal([(101L, "\0\u0004ping"), (401L, "\0\u0005again")], child.Received.Select(r => (r.Time, Text(r.Value))));
        Assert.Equal(["152 Data(ping!)", "452 Data(again!)"], log);
        Assert.True(child.IsRunning);
    }

    [Fact]
    public void CompleteInput_ChildSeesEndOfFile_AndExitsAsCatDoes()
    {
        var (clock, world) = NewWorld();
        world.AddChild("cat", ChildScript.Idle.OnInput((c, data) => c.Write(data.Span)).OnInputEnd(c => c.Exit(0)));
        var port = Port.Spawn("cat").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.ScheduleAbsolute(100, () => { port.TryWrite(Bytes("x")); port.CompleteInput(); });
        clock.AdvanceTo(1000);
        var child = world.Children[0];
        Assert.Equal([101L], child.Received.Select(r => r.Time));   // the write went straight to the pipe at 100
        Assert.Equal([101L], child.Written.Select(r => r.Time));    // echoed at once
        Assert.Equal(102, child.InputEndedAt);                      // the half-close reached it a tick later
        Assert.Equal(["103 Data(x)", "103 Exited(exit code 0)", "103 Closed", "103 completed"], log);
    }

    [Fact]
    public void Spawn_ChildNeverReaped_ExitNeverReported_OutputNeverCompletes()
    {
        var (clock, world) = NewWorld();
        world.AddChild("zombie", ChildScript.Idle.Write(10, "z\n").Exit(20, 0).NeverReaped());
        var port = Port.Spawn("zombie").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(TimeSpan.FromMinutes(10).Ticks);
        Assert.Equal(["11 Data(z)"], log);
        Assert.False(port.Exit.IsCompleted);
        Assert.False(port.Signal(15) && false); // a zombie takes signals (true) and stays a zombie
        Assert.Equal(ExitStatus.Exited(0), world.Children[0].ExitStatus);
    }

    [Fact]
    public void Spawn_UnknownName_ThrowsNamingWhatIsRegistered()
    {
        var (_, world) = NewWorld();
        world.AddChild("worker", ChildScript.Idle);
        var ex = Assert.Throws<InvalidOperationException>(() => Port.Spawn("wrker").WithScheduler(world.Scheduler).Open());
        Assert.Contains("'wrker'", ex.Message);
        Assert.Contains("'worker'", ex.Message);
    }

    [Fact]
    public void SpawnExecutable_ArgumentsReachTheLauncher_AndChooseTheScript()
    {
        var (clock, world) = NewWorld();
        world.AddChild("/usr/bin/greeter", request => ChildScript.Idle.Write(1, $"hello {request.Arguments[0]}\n").Exit(2, 0));
        var port = Port.SpawnExecutable("/usr/bin/greeter").WithArguments("world").WithEnvironment("A", "1")
            .WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        clock.AdvanceTo(100);
        Assert.Equal("2 Data(hello world)", log[0]);
        var request = world.Children[0].Request;
        Assert.Equal(["world"], request.Arguments);
        Assert.Equal([new KeyValuePair<string, string?>("A", "1")], request.EnvironmentChanges);
        Assert.Null(request.Command);
    }
}

using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Virtual.VirtualTestKit;

namespace ReactivePorts.Tests.Virtual;

/// <summary>The same scenario against a real <c>sh</c> child and a scripted one: the transcripts (without ticks) match.</summary>
public sealed class RealVersusVirtualTests
{
    /// <summary>The real port's transcript, once its output has ended.</summary>
    private static async Task<List<string>> RealTranscript(SpawnSpec spec, Func<Port, Task, Task>? act = null)
    {
        await using var scope = new PortScope();
        var port = scope.Open(spec);
        var log = new List<string>();
        port.Events.Subscribe(e => { lock (log) log.Add(Describe(e)); }); // first: it sees Closed before the wait below ends
        var ended = port.Events.OfType<PortClosed>().FirstAsync().ToTask();
        var firstData = port.Events.OfType<PortData>().FirstAsync().ToTask();
        port.Output.Subscribe(_ => { }, _ => { }, () => { });
        if (act is not null) await act(port, firstData);
        await ended.WaitAsync(PortTestKit.TestTimeout);
        lock (log) return [.. log];
    }

    [Fact(Timeout = 15000)]
    public async Task LinesThenExit3_SameTranscript()
    {
        var real = await RealTranscript(PortTestKit.Sh("printf 'a\\nb\\n'; printf 'c'; exit 3").WithFraming(FrameFormat.Line()));

        var (clock, world) = NewWorld();
        world.AddChild("lines", ChildScript.Idle.SplitWrites([3, 2]).Write(100, "a\nb\n").Write(200, "c").Exit(300, 3));
        var port = Port.Spawn("lines").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = new List<string>();
        port.Events.Subscribe(e => log.Add(Describe(e)));
        port.Output.Subscribe(_ => { });
        clock.AdvanceTo(1000);

        Assert.Equal(["Data(a)", "Data(b)", "Data(c)", "Exited(exit code 3)", "Closed"], real);
        Assert.Equal(real, log);
    }

    [Fact(Timeout = 15000)]
    public async Task StopAsync_ChildIgnoringSigterm_KilledAfterTheGracePeriod_SameTranscript()
    {
        ExitStatus realStatus = default;
        var real = await RealTranscript(
            PortTestKit.Sh("trap '' TERM; echo ready; while :; do sleep 0.05; done").WithFraming(FrameFormat.Line()),
            async (port, firstData) =>
            {
                await firstData.WaitAsync(PortTestKit.TestTimeout); // the trap is set
                realStatus = await port.StopAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(PortTestKit.TestTimeout);
            });

        var (clock, world) = NewWorld();
        world.AddChild("stubborn", ChildScript.Idle.IgnoreSignal(15).Write(10, "ready\n"));
        var port = Port.Spawn("stubborn").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
        var log = new List<string>();
        port.Events.Subscribe(e => log.Add(Describe(e)));
        port.Output.Subscribe(_ => { });
        clock.AdvanceTo(100);
        var stop = port.StopAsync(TimeSpan.FromMilliseconds(300));
        clock.AdvanceBy(TimeSpan.FromMilliseconds(301).Ticks);
        var virtualStatus = await stop.WaitAsync(PortTestKit.TestTimeout);

        Assert.Equal(ExitStatus.Signaled(9), realStatus);
        Assert.Equal(realStatus, virtualStatus);
        Assert.Equal(["Data(ready)", "Exited(killed by signal 9 (SIGKILL))", "Closed"], real);
        Assert.Equal(real, log);
        Assert.Equal(100 + TimeSpan.FromMilliseconds(300).Ticks, world.Children[0].Signals[1].Time);
    }
}

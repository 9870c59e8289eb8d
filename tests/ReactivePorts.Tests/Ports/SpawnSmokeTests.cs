using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactivePorts.Framing;

namespace ReactivePorts.Tests.Ports;

public sealed class SpawnSmokeTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 20000)]
    public async Task Cat_EchoesLines_ThenHalfCloseEndsWithExitZero()
    {
        await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line()).Open();
        var events = port.Events.ToList().ToTask();
        var lines = port.Output.ToLines().ToList().ToTask();
        await port.WriteAsync(Encoding.UTF8.GetBytes("hello\nworld\nlast"));
        port.CompleteInput();
        Assert.Equal(["hello", "world", "last"], await lines.WaitAsync(TestTimeout));
        var all = await events.WaitAsync(TestTimeout);
        Assert.Equal(0, (await port.Exit).ExitCode);
        var kinds = all.Select(e => e.GetType().Name).Where(n => n != nameof(PortData)).ToList();
        Assert.Equal([nameof(PortExited), nameof(PortClosed)], kinds);
    }

    [Fact(Timeout = 20000)]
    public async Task Shell_ExitCodeAfterAllData()
    {
        var port = Port.Spawn("sh -c 'head -c 200000 /dev/zero; exit 7'").Open();
        long bytes = 0;
        var events = new List<string>();
        var done = new TaskCompletionSource();
        port.Events.Subscribe(e =>
        {
            if (e is PortData d) bytes += d.Packet.Length;
            else events.Add(e.ToString()!);
        }, () => done.SetResult());
        port.Output.Subscribe(_ => { }); // reading starts with the output's subscriber
        await done.Task.WaitAsync(TestTimeout);
        Assert.Equal(200000, bytes);
        Assert.Equal(["Exited(exit code 7)", "Closed"], events);
    }

    [Fact(Timeout = 20000)]
    public async Task OutputToEvents_ReadsAndDeliversEverythingInOrder()
    {
        var port = Port.Spawn("sh -c 'printf \"a\\nb\"; exit 3'").WithFraming(FrameFormat.Line()).Open();
        var events = await port.Output.ToEvents().ToList().ToTask().WaitAsync(TestTimeout);
        Assert.Equal(["Data(Packet(1 B eol: 61))", "Data(Packet(1 B noeol: 62))", "Exited(exit code 3)", "Closed"],
            events.Select(e => e.ToString()));
        Assert.Throws<InvalidOperationException>(() => port.Output.Subscribe(_ => { }));
    }
}

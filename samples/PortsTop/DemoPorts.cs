using ReactivePorts;
using ReactivePorts.Framing;

namespace PortsTop;

/// <summary>
/// Ports to watch: an echo fed a line every 50 ms, a bulk reader (20 MB from /dev/zero, then exit
/// 0), a ticker that exits with status 3 after two seconds, and a child that never reads (busy).
/// Disposing kills every child.
/// </summary>
internal sealed class DemoPorts : IAsyncDisposable
{
    /// <summary>The bulk reader's command (its port's name).</summary>
    public const string BulkCommand = "head -c 20000000 /dev/zero";

    /// <summary>The child that never reads (its port's name).</summary>
    public const string StuckCommand = "sleep 3600";

    private readonly List<Port> _ports = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _feeding = Task.CompletedTask;

    public static DemoPorts Start()
    {
        var demo = new DemoPorts();
        var echo = demo.Add(Port.Spawn("cat").WithFraming(FrameFormat.Line()));
        demo.Add(Port.Spawn(BulkCommand));
        demo.Add(Port.Spawn("sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do echo tick $i; sleep 0.2; done; exit 3'").WithFraming(FrameFormat.Line()));
        var stuck = demo.Add(Port.Spawn(StuckCommand), read: false);
        for (int i = 0; i < 8; i++) stuck.WriteForced(new byte[16 * 1024]); // past the pipe and the high mark
        demo._feeding = demo.FeedAsync(echo);
        return demo;
    }

    private Port Add(SpawnSpec spec, bool read = true)
    {
        var port = spec.WithKillOnClose().Open();
        if (read) port.Output.Subscribe(_ => { }, _ => { });
        _ports.Add(port);
        return port;
    }

    private async Task FeedAsync(Port echo)
    {
        var line = "the quick brown fox jumps over the lazy dog\n"u8.ToArray();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await echo.WriteAsync(line, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _feeding;
        foreach (var port in _ports)
        {
            // Killed first: the stuck child would hold the close's flush until its timeout.
            if (port.State == PortState.Open && !port.Exit.IsCompleted) port.Kill();
            await port.DisposeAsync();
        }
        _stop.Dispose();
    }
}

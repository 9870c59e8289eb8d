// `top` for ports: the live view of every port of this process (PortMonitor.Watch) in a
// Spectre.Console table. It starts a few demo ports to watch, then shows them for --duration
// seconds (10 by default) or until q is pressed. With --once, or when the output is not a terminal,
// it prints one table once the counters have moved and exits.
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using PortsTop;
using ReactivePorts.Monitoring;
using Spectre.Console;

var options = TopOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: PortsTop [--duration SECONDS] [--once]");
    return 2;
}

await using var demo = DemoPorts.Start();
var rows = new PortRows();
using var loop = new EventLoopScheduler(start => new Thread(start) { Name = "PortsTop monitor", IsBackground = true });
var changes = PortMonitor.Watch(loop, new PortMonitorOptions { Interval = TimeSpan.FromMilliseconds(500), Retention = TimeSpan.FromSeconds(3) })
    .Do(rows.Apply)
    .Publish();
// Snapshot and two samples: the counters have moved and the throughput is known.
var warmedUp = changes.Skip(2).FirstAsync().ToTask();
using var connection = changes.Connect();

bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected && !Console.IsInputRedirected;
if (options.Once || !interactive)
{
    if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160; // a file or a pipe has no width of its own
    await warmedUp.WaitAsync(TimeSpan.FromSeconds(30));
    AnsiConsole.Write(rows.ToTable());
    return 0;
}

var end = DateTime.UtcNow + options.Duration;
await AnsiConsole.Live(rows.ToTable()).StartAsync(async live =>
{
    while (DateTime.UtcNow < end && !QuitPressed())
    {
        live.UpdateTarget(rows.ToTable());
        await Task.Delay(250); // the screen's refresh rate, not a wait for a condition
    }
});
return 0;

static bool QuitPressed()
{
    while (Console.KeyAvailable)
    {
        var key = Console.ReadKey(intercept: true).Key;
        if (key is ConsoleKey.Q or ConsoleKey.Escape) return true;
    }
    return false;
}

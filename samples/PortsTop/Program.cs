// `top` for ports: the live view of every port of this process (PortMonitor.Watch) in a
// Spectre.Console table. It starts a few demo ports to watch, then shows them for --duration
// seconds (10 by default) or until q is pressed. With --once, or when the output is not a terminal,
// it prints one table once the demo shows what it is for (the bulk reader exited, the stuck port
// busy; at most 30 s) and exits.
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
// Waits for what the table is printed to show, not for a number of samples (a loaded machine is
// slow): the bulk reader has exited and the stuck port is busy, after the snapshot and at least
// two samples (so the throughput is known). A change set always follows such a change.
var ready = changes.Skip(2)
    .Where(_ => rows.Shows(DemoPorts.BulkCommand, MonitoredPortState.Exited) && rows.Shows(DemoPorts.StuckCommand, MonitoredPortState.Busy))
    .FirstAsync().ToTask();
using var connection = changes.Connect();

bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected && !Console.IsInputRedirected;
if (options.Once || !interactive)
{
    if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160; // a file or a pipe has no width of its own
    bool shown = true;
    try
    {
        await ready.WaitAsync(TimeSpan.FromSeconds(30));
    }
    catch (TimeoutException)
    {
        shown = false;
    }
    AnsiConsole.Write(rows.ToTable());
    if (shown) return 0;
    Console.Error.WriteLine("PortsTop: after 30 s the bulk reader had not exited or the stuck port was not busy; the table above is what was seen.");
    return 1;
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

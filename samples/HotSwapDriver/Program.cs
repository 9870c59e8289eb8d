// Hot-swapping a driver: release 1 of a plugin serves ports, release 2 is loaded under the same
// name while a port of release 1 is still open; the swap waits for that port, and ports opened
// afterwards run release 2. The old release's load context is then proven collected.
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactivePorts;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;

string v1 = Path.Combine(AppContext.BaseDirectory, "plugins", "v1", "GreeterDriver.dll");
string v2 = Path.Combine(AppContext.BaseDirectory, "plugins", "v2", "GreeterDriver.dll");

var loader = new DriverLoader();
using var app = loader.CreateOwner("app");
using var watcher = loader.CreateOwner("watcher");

Console.WriteLine($"load v1: {app.TryLoad(v1, "greeter").ThrowIfFailed()}");
var greeter = loader.Driver("greeter").WithFraming(FrameFormat.Line());

var oldPort = greeter.Open();
var oldLines = Lines(oldPort);
Console.WriteLine($"old port: {await Ask(oldPort, oldLines, "ada")}");

// Reload once no port of v1 is open; tell us how it ends.
var oldUnloaded = watcher.Monitor("greeter", DriverMonitorKind.Unloaded).FirstAsync().ToTask();
var reload = app.TryLoad(v2, "greeter", new DriverLoadOptions { Reload = DriverPending.PendingDriver, Monitor = DriverPending.Pending });
Console.WriteLine($"reload to v2: {reload.ThrowIfFailed()}; state {loader.GetInfo("greeter").State}, {loader.GetInfo("greeter").PortCount} port open");
Console.WriteLine($"old port, still v1: {await Ask(oldPort, oldLines, "grace")}");

await oldPort.CloseAsync();
await oldPort.Completion;
oldPort = null; // a kept Port holds its driver, and so the old release
oldLines = null;
Console.WriteLine($"monitor: {await reload.Monitor!.FirstAsync()}");
Console.WriteLine($"old release: {await oldUnloaded.WaitAsync(TimeSpan.FromSeconds(10))}");

await using (var newPort = greeter.Open())
    Console.WriteLine($"new port: {await Ask(newPort, Lines(newPort), "linus")}");
var info = loader.GetInfo("greeter");
Console.WriteLine($"now: {info.State}, {info.AssemblyName}");

var unload = app.TryUnload("greeter", new DriverUnloadOptions { Monitor = DriverPending.PendingDriver });
Console.WriteLine($"unload: {unload} -> {await unload.Monitor!.FirstAsync()}");

// The port's lines, read as they come (a port's output has one subscriber; ending it closes the port).
static IAsyncEnumerator<string> Lines(Port port) =>
    port.Output.ToAsyncEnumerable().Select(p => Encoding.UTF8.GetString(p.Payload.Span)).GetAsyncEnumerator();

// One line out, one line back.
static async Task<string> Ask(Port port, IAsyncEnumerator<string> lines, string name)
{
    await port.WriteAsync(Encoding.UTF8.GetBytes(name + "\n"));
    return await lines.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) ? lines.Current : "(port ended)";
}

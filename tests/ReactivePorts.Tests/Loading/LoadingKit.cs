using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;

namespace ReactivePorts.Tests.Loading;

/// <summary>
/// The test driver plugins and helpers that touch plugin objects. Everything that holds a driver,
/// a port or a type of the plugin lives in a [NoInlining] method here, so no test frame, field or
/// closure keeps a context alive after its unload.
/// </summary>
internal static class LoadingKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static string V1 => Path.Combine(AppContext.BaseDirectory, "drivers", "v1", "EchoDriver.dll");

    public static string V2 => Path.Combine(AppContext.BaseDirectory, "drivers", "v2", "EchoDriver.dll");

    /// <summary>A file that is not an assembly.</summary>
    public static string Garbage()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rp-not-an-assembly-{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "this is not a .NET assembly\n");
        return path;
    }

    /// <summary>The one event of a monitor.</summary>
    public static Task<DriverEvent> Event(DriverMonitor monitor) => monitor.FirstAsync().ToTask().WaitAsync(Patience);

    /// <summary>Opens a port on the loaded driver, echoes <paramref name="text"/> through its pipe, asks its version, closes it; returns (echo, version).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<(string Echo, string Version)> RoundTrip(DriverLoader loader, string name, string text)
    {
        var port = loader.Driver(name).Open();
        try
        {
            string version = Version(port);
            return (await Echo(port, text), version); // the echo's subscription closes the port when it ends
        }
        finally
        {
            await port.CloseAsync();
            await port.Completion.WaitAsync(Patience);
        }
    }

    /// <summary>Writes and reads back through an open port's driver.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<string> Echo(Port port, string text)
    {
        var received = new StringBuilder();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = port.Output.Subscribe(
            p =>
            {
                lock (received)
                {
                    received.Append(Encoding.ASCII.GetString(p.Payload.Span));
                    if (received.Length >= text.Length) done.TrySetResult();
                }
            },
            e => done.TrySetException(e),
            () => done.TrySetResult());
        await port.WriteAsync(Encoding.ASCII.GetBytes(text));
        await done.Task.WaitAsync(Patience);
        lock (received) return received.ToString();
    }

    public static string Version(Port port) => Encoding.ASCII.GetString(port.Control(1, []));

    /// <summary>Opens a port and says which load context its driver came from (weakly), and whether that is collectible and not the default.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (Port Port, WeakReference Context) OpenWatched(DriverLoader loader, string name)
    {
        var port = loader.Driver(name).Open();
        var context = AssemblyLoadContext.GetLoadContext(port.Core.Driver.GetType().Assembly)!;
        Assert.True(context.IsCollectible);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        return (port, new WeakReference(context));
    }

    /// <summary>The documented collection loop: true when the context is gone.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Collected(WeakReference context)
    {
        for (int i = 0; context.IsAlive && i < 20; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return !context.IsAlive;
    }

    /// <summary>Whether any assembly named EchoDriver reached the default context.</summary>
    public static bool PluginInDefaultContext() =>
        AssemblyLoadContext.Default.Assemblies.Any(a => a.GetName().Name == "EchoDriver");
}

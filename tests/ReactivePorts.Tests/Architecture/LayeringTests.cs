using System.Collections;
using System.Collections.Immutable;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Polling.Backends;

// Not ReactivePorts.Tests.Architecture: that namespace would hide System.Runtime.InteropServices.Architecture
// (Architecture.X64) from the other test namespaces.
namespace ReactivePorts.Tests.Layering;

/// <summary>
/// The layers of <c>src/ReactivePorts</c> are its top-level folders and point one way (DESIGN.md, issue 11):
/// a type uses types of its own layer and of lower layers only, and nothing but Interop declares P/Invokes.
/// A type's layer is the folder of the file that declares it, not its namespace (public types keep
/// public namespaces wherever they live). See <see cref="AssemblyModel"/> for what counts as a use.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Lazy<(string Root, AssemblyModel Library)> s_library = new(() =>
    {
        string root = AssemblyModel.RepositoryRoot(AppContext.BaseDirectory);
        return (root, AssemblyModel.Load(typeof(Port).Assembly, root, "src/ReactivePorts"));
    });

    [Fact]
    public void Layers_PointOneWay()
    {
        var (root, library) = s_library.Value;
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in library.Types.Values)
        {
            foreach (string file in type.Files.Where(f => Layers.OfFile(f) is null))
                problems.Add($"{file}: folder {file.Split('/')[0]}/ is not in the layer table (place it in {nameof(Layers)}.{nameof(Layers.Order)})");
            if (type.Files.Select(f => Layers.OfFile(f)).Distinct().Count() > 1)
                problems.Add($"{type.Primary}: {type.Name} is declared in several layers: {string.Join(", ", type.Files)}");
        }
        foreach (string name in library.Unplaced)
            problems.Add($"(unknown file): {name} has no declaration under src/ReactivePorts");
        foreach (var use in library.Uses)
        {
            string? target = use.TargetAssembly == library.AssemblyName ? Layers.OfFile(library.Types[use.Target].Primary)
                : use.TargetAssembly == typeof(FrameFormat).Assembly.GetName().Name ? Layers.Framing
                : null; // the BCL, System.Reactive: below every layer
            if (target is not null && Layers.OfFile(use.File) is { } user && !Layers.MayUse(user, target))
            {
                var from = library.Types[use.User];
                string to = use.TargetAssembly == library.AssemblyName ? library.Types[use.Target].Display : $"{target}/{use.Target}";
                problems.Add($"{use.File}: {from.Name} uses {to} ({use.Target})");
            }
        }
        Assert.True(problems.Count == 0,
            $"{problems.Count} layering violations in {Path.Combine(root, "src/ReactivePorts")} (layers, bottom to top: {string.Join(" ← ", Layers.Order)}):\n"
            + string.Join("\n", problems));
    }

    [Fact]
    public void OnlyInterop_DeclaresNativeMethods()
    {
        var (root, library) = s_library.Value;
        var framing = AssemblyModel.Load(typeof(FrameFormat).Assembly, root, "src/Framing");
        var problems = library.NativeMethods
            .Where(m => m.Files.IsEmpty || m.Files.Any(f => Layers.OfFile(f) != Layers.Interop))
            .Select(m => $"{(m.Files.IsEmpty ? "(unknown file)" : string.Join(", ", m.Files))}: {m.Type}.{m.Method} is a P/Invoke outside Interop/")
            .Concat(framing.NativeMethods.Select(m => $"src/Framing: {m.Type}.{m.Method} is a P/Invoke in ReactivePorts.Framing"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotEmpty(library.NativeMethods); // the check saw Interop's own
    }

    // --- the checker's self-tests ---

    [Fact]
    public void Checker_PlacesTypesByTheFolderOfTheirSourceFile()
    {
        var (_, library) = s_library.Value;
        var scheduler = library.PlaceOf(typeof(PollScheduler))!; // partial class: from the PDB
        Assert.Equal("Polling/PollScheduler.cs", scheduler.Primary);
        Assert.Contains("Polling/PollScheduler.Loop.cs", scheduler.Files);
        Assert.All(scheduler.Files, f => Assert.StartsWith("Polling/PollScheduler", f));
        Assert.Equal("Polling/PollEvents.cs", library.PlaceOf(typeof(PollEvents))!.Primary);               // enum: from the sources
        Assert.Equal("Polling/Backends/IPollBackend.cs", library.PlaceOf(typeof(IPollBackend))!.Primary);  // interface, subfolder
        Assert.Equal("Polling/Backends/IPollBackend", library.PlaceOf(typeof(IPollBackend))!.Display);
        Assert.Equal(Layers.Polling, Layers.OfFile(library.PlaceOf(typeof(IPollBackend))!.Primary));
        Assert.Empty(library.Unplaced);
    }

    [Fact]
    public async Task Checker_AttributesUsesInLambdasStateMachinesAndFieldsToTheirFileAndOutermostType()
    {
        // This assembly's own probes below: each distinctive type is used only there.
        string root = s_library.Value.Root;
        var tests = AssemblyModel.Load(typeof(LayeringTests).Assembly, root, "tests/ReactivePorts.Tests");
        string me = typeof(LayeringTests).FullName!;
        var mine = tests.Uses.Where(u => u.User == me && u.File == "Architecture/LayeringTests.cs").Select(u => u.Target).ToHashSet();
        Assert.Contains(typeof(UriBuilder).FullName!, mine);         // in a lambda (<>c)
        Assert.Contains(typeof(Queue).FullName!, mine);              // in an async method (state machine)
        Assert.Contains(typeof(BitArray).FullName!, mine);           // a field's type
        Assert.Contains(typeof(ImmutableStack<int>).Namespace + ".ImmutableStack`1", mine); // a generic argument in a signature
        Assert.Null(s_fieldProbe);
        Assert.NotNull(LambdaProbe()());
        await AsyncProbe();
        Assert.Null(SignatureProbe(null));
    }

    [Fact]
    public void LayerTable_IsBottomToTop_AndFoldersOutsideItAreUnknown()
    {
        Assert.Equal(["Framing", "Interop", "Polling", "Spawning", "Drivers", "Ports", "Loading", "Monitoring"], Layers.Order.ToArray());
        Assert.Equal(Layers.Ports, Layers.OfFile("Ports/Port.cs"));
        Assert.Equal(Layers.Ports, Layers.OfFile("Directly.cs"));
        Assert.Equal(Layers.Drivers, Layers.OfFile("Drivers/Spawn/SpawnDriver.cs"));
        Assert.Null(Layers.OfFile("Concurrency/Thing.cs"));
        Assert.Null(Layers.OfFile("Framing/Thing.cs")); // Framing is its own assembly, not a folder here
        Assert.True(Layers.MayUse(Layers.Ports, Layers.Interop));
        Assert.True(Layers.MayUse(Layers.Spawning, Layers.Spawning));
        Assert.False(Layers.MayUse(Layers.Spawning, Layers.Ports));
        Assert.False(Layers.MayUse(Layers.Drivers, Layers.Loading));
        Assert.False(Layers.MayUse(Layers.Ports, Layers.Loading));
        Assert.True(Layers.MayUse(Layers.Loading, Layers.Ports));
    }

    private static readonly BitArray? s_fieldProbe = null;

    private static Func<object> LambdaProbe() => () => new UriBuilder();

    private static async Task AsyncProbe()
    {
        await Task.Yield();
        _ = new Queue();
    }

    private static object? SignatureProbe(ImmutableStack<int>? stack) => stack;
}

/// <summary>The layer table: top-level folders of <c>src/ReactivePorts</c>, bottom to top.</summary>
internal static class Layers
{
    public const string Framing = "Framing"; // the ReactivePorts.Framing assembly
    public const string Interop = "Interop";
    public const string Polling = "Polling";
    public const string Spawning = "Spawning";
    public const string Drivers = "Drivers";
    public const string Ports = "Ports";     // Ports/ and files directly in src/ReactivePorts
    // Dynamic drivers: above Ports, because the loader is a client of the port façade — it hands out
    // DriverSpecs, counts ports by Port.Completion and kills them with Port.AbortAsync — while the
    // port core knows nothing of loading (one internal hook on DriverSpec tells of each port opened).
    public const string Loading = "Loading";
    public const string Monitoring = "Monitoring"; // the live view of every port and the metrics: on top

    /// <summary>Bottom to top. A new top-level folder is an error until it is placed here.</summary>
    public static readonly ImmutableArray<string> Order = [Framing, Interop, Polling, Spawning, Drivers, Ports, Loading, Monitoring];

    /// <summary>The layer of a file given relative to <c>src/ReactivePorts</c>; null for a folder not in the table.</summary>
    public static string? OfFile(string relativePath)
    {
        int slash = relativePath.IndexOf('/');
        if (slash < 0) return Ports;
        string folder = relativePath[..slash];
        return folder != Framing && Order.Contains(folder) ? folder : null;
    }

    public static bool MayUse(string user, string target) => Order.IndexOf(target) <= Order.IndexOf(user);
}

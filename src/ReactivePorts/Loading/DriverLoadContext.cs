using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;

namespace ReactivePorts.Drivers;

/// <summary>
/// The collectible context one version of a driver assembly lives in. ReactivePorts,
/// ReactivePorts.Framing and System.Reactive come from the default context, so a plugin's
/// <see cref="PortDriver"/> is the host's and its ports run on the host's loops; the plugin's own
/// other dependencies resolve next to it (through its deps.json) into this context.
/// </summary>
internal sealed class DriverLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> s_shared = new(StringComparer.OrdinalIgnoreCase)
    {
        typeof(PortDriver).Assembly.GetName().Name!,               // ReactivePorts
        typeof(Framing.FrameFormat).Assembly.GetName().Name!,      // ReactivePorts.Framing
        typeof(System.Reactive.Unit).Assembly.GetName().Name!,     // System.Reactive
    };

    private readonly AssemblyDependencyResolver? _resolver;

    public DriverLoadContext(string driverName, string path)
        : base($"ReactivePorts driver '{driverName}' ({path})", isCollectible: true)
    {
        try
        {
            _resolver = new AssemblyDependencyResolver(path);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // No readable deps.json next to it: its dependencies come from the host then.
            _resolver = null;
        }
    }

    /// <summary>The version loaded here, for the ports opened on it to find their driver's registry entry.</summary>
    public DriverVersion? Version { get; set; }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A driver context exists only through DriverOwner.TryLoad, which carries the requirement.")]
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Shared with the host (a copy next to the plugin is ignored), or else the types would not match.
        if (assemblyName.Name is { } name && s_shared.Contains(name)) return null;
        string? path = _resolver?.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}

/// <summary>One loaded version of a driver: its context and how to make instances.</summary>
internal sealed class DriverVersion(DriverLoadContext context, Func<PortDriver> create, bool permanent, string path, string assemblyName)
{
    public DriverLoadContext Context { get; } = context;
    public Func<PortDriver> Create { get; } = create;
    public bool Permanent { get; } = permanent;
    public string Path { get; } = path;
    public string AssemblyName { get; } = assemblyName;

    /// <summary>The registry entry it serves (set when it is committed).</summary>
    public LoadedDriver? Entry { get; set; }
}

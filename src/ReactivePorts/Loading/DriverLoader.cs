using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace ReactivePorts.Drivers;

/// <summary>
/// Loads drivers from plugin assemblies at run time, and unloads and reloads them, as Erlang's
/// <c>erl_ddll</c> does: owners (<see cref="CreateOwner"/>, each playing an Erlang process) hold
/// reference-counted loads; a driver goes away when no owner holds it and no port of it is open;
/// unloads and reloads wait for ports (<see cref="DriverStatus.PendingDriver"/>) and owners
/// (<see cref="DriverStatus.PendingProcess"/>) or kill the ports; monitors report how waits end.
/// Each loaded version lives in a collectible load context that shares ReactivePorts,
/// ReactivePorts.Framing and System.Reactive with the host. Ports open through
/// <see cref="Driver(string)"/>, a normal <see cref="DriverSpec"/>.
/// </summary>
/// <remarks>
/// <para>Every member is thread-safe. No user code (a driver's constructor, a monitor's
/// subscriber, a port's abort) runs under the loader's lock.</para>
/// <para>An unloaded context is watched through a weak reference for up to the collection timeout;
/// while a monitor waits for the verdict the loader forces collections (<see cref="GC.Collect()"/>,
/// <see cref="GC.WaitForPendingFinalizers"/>), and only then (an unload nobody monitors costs none): <see cref="DriverEventReason.Unloaded"/> is reported only once it is
/// collected, <see cref="DriverEventReason.Leaked"/> when it is still held then. Anything that
/// outlives the unload keeps it: a closed <see cref="Port"/> of the driver you still reference, a
/// driver instance, a static event handler or a thread of the plugin's.</para>
/// </remarks>
public sealed partial class DriverLoader
{
    /// <summary>The reason ports are aborted with when their driver is unloaded or reloaded with kill_ports (Erlang's <c>driver_unloaded</c>).</summary>
    public const string DriverUnloadedReason = "driver_unloaded";

    private static readonly string[] s_linkedIn = ["fd", "spawn", "vanilla"];

    private readonly object _gate = new();
    private readonly Dictionary<string, LoadedDriver> _drivers = new(StringComparer.Ordinal);
    private readonly List<UnloadingDriver> _unloading = [];
    private readonly TimeSpan _collectionTimeout;
    private readonly Subject<Exception> _errors = new();

    /// <summary>A loader that waits up to 5 seconds for an unloaded driver's context to be collected before reporting a leak.</summary>
    public DriverLoader()
        : this(TimeSpan.FromSeconds(5))
    {
    }

    /// <summary>A loader that waits up to <paramref name="collectionTimeout"/> for an unloaded driver's context to be collected before reporting a leak.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="collectionTimeout"/> is negative.</exception>
    public DriverLoader(TimeSpan collectionTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(collectionTimeout, TimeSpan.Zero);
        _collectionTimeout = collectionTimeout;
    }

    /// <summary>
    /// Exceptions thrown by monitor subscribers (<see cref="DriverMonitor"/>): such a subscriber is
    /// detached and the others are still told. Published on the thread that raised the event.
    /// Exceptions that nobody observes are dropped.
    /// </summary>
    public IObservable<Exception> Errors => _errors.AsObservable();

    /// <summary>A new owner (an Erlang process): it loads and unloads drivers; disposing it lets go of everything it holds, as a process dying does.</summary>
    /// <param name="name">A name for info and messages.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public DriverOwner CreateOwner(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new DriverOwner(this, name);
    }

    /// <summary>
    /// A spec for ports on the loaded driver <paramref name="name"/>: each open makes an instance
    /// of the version loaded at that moment (so ports opened after a reload use the new version) and
    /// counts the port against the driver until it completes. Opening throws (or, subscribed, reports)
    /// a <see cref="DriverLoadException"/> when the driver is not loaded
    /// (<see cref="DriverError.NotLoaded"/>), is having its ports killed or its version swapped
    /// (<see cref="DriverError.Unloading"/>), or its constructor throws (<see cref="DriverError.InitFailed"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public DriverSpec Driver(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new DriverSpec(() => CreateForPort(name), null);
    }

    /// <summary>The drivers known now, built-in ones included (Erlang's <c>loaded_drivers</c>), in name order.</summary>
    public IReadOnlyList<string> LoadedDrivers
    {
        get
        {
            lock (_gate)
                return [.. s_linkedIn.Concat(_drivers.Keys).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Everything known about a driver (Erlang's <c>erl_ddll:info/2</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="DriverLoadException">No driver of that name is loaded (<see cref="DriverError.NotLoaded"/>).</exception>
    public DriverInfo GetInfo(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (IsLinkedIn(name)) return new DriverInfo { Name = name, State = DriverState.LinkedIn };
        lock (_gate)
        {
            if (!_drivers.TryGetValue(name, out var entry)) throw new DriverLoadException(DriverError.NotLoaded, name, null);
            return new DriverInfo
            {
                Name = name,
                State = entry.State switch
                {
                    EntryState.Ok => DriverState.Loaded,
                    EntryState.Permanent => DriverState.Permanent,
                    EntryState.Unload or EntryState.ForceUnload => DriverState.Unloading,
                    _ => DriverState.Reloading,
                },
                Path = entry.Path,
                AssemblyName = entry.AssemblyName,
                KillPorts = entry.KillPorts,
                PortCount = entry.PortCount,
                Owners = Counts(entry, HolderKind.Loaded),
                AwaitingLoad = Counts(entry, HolderKind.AwaitLoad),
                AwaitingUnload = Counts(entry, HolderKind.AwaitUnload),
            };
        }
    }

    /// <summary>A sentence for each error (Erlang's <c>erl_ddll:format_error/1</c>).</summary>
    public static string FormatError(DriverError error) => error switch
    {
        DriverError.LinkedInDriver => "the driver is built into the library and cannot be loaded or unloaded",
        DriverError.Inconsistent => "the driver is loaded already from another path or with other options",
        DriverError.Permanent => "the driver is permanent and cannot be unloaded or reloaded",
        DriverError.NotLoaded => "no driver of that name is loaded",
        DriverError.NotLoadedByThisOwner => "the driver was not loaded by this owner",
        DriverError.PendingReload => "a reload of the driver is already pending",
        DriverError.PendingProcess => "the driver is loaded by other owners, so a reload that waits only for ports cannot be done",
        DriverError.Unloading => "the driver is being unloaded with its ports killed, or swapped for a new version, so no port can open on it now",
        DriverError.FileNotFound => "the assembly file does not exist",
        DriverError.NotAnAssembly => "the file is not a .NET assembly",
        DriverError.LoadFailed => "the assembly could not be loaded",
        DriverError.DriverNotFound => "the assembly declares no driver of that name",
        DriverError.InvalidDriver => "the class declared for that name is not a usable driver",
        DriverError.IncorrectApiVersion => "the driver was written for an incompatible driver API version",
        DriverError.NameMismatch => "the driver's own name differs from the name it was loaded by",
        DriverError.InitFailed => "the driver's constructor (its init) threw",
        _ => $"unknown driver error {(int)error}",
    };

    /// <summary>Publishes a monitor subscriber's exception without letting it escape into the loader's work.</summary>
    internal void ReportError(Exception error)
    {
        try
        {
            _errors.OnNext(error);
        }
        catch
        {
            // An Errors subscriber threw in turn: there is nobody left to tell, and the other monitors must still be told.
        }
    }

    internal static bool IsLinkedIn(string name) => Array.IndexOf(s_linkedIn, name) >= 0;

    private static List<DriverOwnerCount> Counts(LoadedDriver entry, HolderKind kind) =>
        [.. entry.Holders.Where(h => h.Kind == kind).GroupBy(h => h.Owner).Select(g => new DriverOwnerCount(g.Key, g.Count()))];

    /// <summary>Runs what was decided under the lock (monitor events, port aborts, thread-pool work), after it is released.</summary>
    private static void Run(List<Action> after)
    {
        foreach (var action in after) action();
    }
}

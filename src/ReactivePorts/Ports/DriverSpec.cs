using ReactivePorts.Drivers;

namespace ReactivePorts;

/// <summary>
/// A port on a driver of your own (or one loaded at run time): <c>Port.Driver(() => new MyDriver())</c>,
/// with the options every port has. Each <see cref="PortSpec{TSpec}.Open"/> (and each subscription)
/// makes a new driver instance with the factory.
/// </summary>
public sealed record DriverSpec : PortSpec<DriverSpec>
{
    private readonly Func<DriverLease> _factory;

    internal DriverSpec(Func<PortDriver> factory, string? name)
        : this(() => new DriverLease(factory() ?? throw new InvalidOperationException("The driver factory returned null.")), name)
    {
    }

    /// <summary>A spec whose factory reserves something per driver it makes (the driver loader counts a loaded driver's ports so).</summary>
    internal DriverSpec(Func<DriverLease> factory, string? name)
    {
        _factory = factory;
        NameOverride = name;
    }

    private string? NameOverride { get; init; }

    /// <summary>The port's name as given (<see cref="WithName"/>), else "driver"; the open port is named after its driver unless named here.</summary>
    public override string Name => NameOverride ?? "driver";

    /// <summary>Names the port (for port info and errors; the driver's name by default).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public DriverSpec WithName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { NameOverride = name };
    }

    /// <summary>Makes a driver with the factory and opens a port on it; the driver starts on the port's loop.</summary>
    /// <exception cref="InvalidOperationException">Options contradict each other, or the factory returned null or a driver already used by a port.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public override Port Open()
    {
        Options.Validate();
        var loop = LoopToOpenOn();
        var lease = _factory();
        var driver = lease.Driver;
        Port? port = null;
        try
        {
            // A driver with a process of its own reports its exit as a spawned child does (Erlang's order);
            // one without OnInput has no input, so writes fail at the call, not later in the driver.
            port = new Port(loop, driver, Options with { HasExitStatus = driver.Process is not null, HasInput = driver.TakesInput }, NameOverride ?? driver.Name);
            lease.Opened(port);
            port.Start();
            return port;
        }
        catch
        {
            // The port never started (so it may never complete): what the factory reserved is given back here.
            lease.Release(port);
            throw;
        }
    }
}

/// <summary>
/// A driver made for one port, with whatever its maker reserved for that port. The reservation is
/// given back exactly once: when the port completes (<see cref="Opened"/> arranges that), or when
/// the open fails first (<see cref="Release"/>); whichever comes first wins, the other does nothing.
/// </summary>
internal class DriverLease(PortDriver driver)
{
    private int _released;

    public PortDriver Driver { get; } = driver;

    /// <summary>The port exists and is about to start; the base has nothing to track.</summary>
    public virtual void Opened(Port port)
    {
    }

    /// <summary>Gives the reservation back (once, whoever calls first); <paramref name="port"/> is null when no port was made.</summary>
    public void Release(Port? port)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) OnReleased(port);
    }

    /// <summary>Gives back what was reserved; called at most once.</summary>
    protected virtual void OnReleased(Port? port)
    {
    }
}

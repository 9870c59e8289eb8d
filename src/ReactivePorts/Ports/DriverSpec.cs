using ReactivePorts.Drivers;

namespace ReactivePorts;

/// <summary>
/// A port on a driver of your own (or one loaded at run time): <c>Port.Driver(() => new MyDriver())</c>,
/// with the options every port has. Each <see cref="PortSpec{TSpec}.Open"/> (and each subscription)
/// makes a new driver instance with the factory.
/// </summary>
public sealed record DriverSpec : PortSpec<DriverSpec>
{
    private readonly Func<PortDriver> _factory;

    internal DriverSpec(Func<PortDriver> factory, string? name)
    {
        _factory = factory;
        NameOverride = name;
    }

    private string? NameOverride { get; init; }

    /// <summary>Told of each port opened from this spec before it starts (the driver loader counts a loaded driver's ports with it).</summary>
    internal Action<Port>? Opened { get; init; }

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
        var driver = _factory() ?? throw new InvalidOperationException("The driver factory returned null.");
        // A driver with a process of its own reports its exit as a spawned child does (Erlang's order).
        var port = new Port(loop, driver, Options with { HasExitStatus = driver.Process is not null }, NameOverride ?? driver.Name);
        Opened?.Invoke(port);
        port.Start();
        return port;
    }
}

using ReactivePorts.Drivers;

namespace TestDrivers;

/// <summary>Declared as "misnamed" but calls itself otherwise.</summary>
[LoadableDriver("misnamed")]
public sealed class MisnamedDriver : PortDriver
{
    public override string Name => "something-else";
}

/// <summary>Written for a driver API this library does not implement.</summary>
[LoadableDriver("old-api")]
public sealed class OldApiDriver : PortDriver
{
    public override string Name => "old-api";
    public override Version ApiVersion => new(0, 9);
}

/// <summary>Written for a newer minor version of the driver API than this library's.</summary>
[LoadableDriver("newer-api")]
public sealed class NewerApiDriver : PortDriver
{
    public override string Name => "newer-api";
    public override Version ApiVersion => new(DriverApi.Version.Major, DriverApi.Version.Minor + 1);
}

/// <summary>Its init (the constructor) throws.</summary>
[LoadableDriver("throwing")]
public sealed class ThrowingDriver : PortDriver
{
    public ThrowingDriver() => throw new InvalidOperationException("init failed on purpose");

    public override string Name => "throwing";
}

/// <summary>Declared as a driver, but not one.</summary>
[LoadableDriver("not-a-driver")]
public sealed class NotADriver
{
}

/// <summary>
/// Leaks its load context on purpose: its init subscribes its own method to a static event of the
/// host runtime, so the host holds a delegate into the plugin for ever.
/// </summary>
[LoadableDriver("leaky")]
public sealed class LeakyDriver : PortDriver
{
    public LeakyDriver() => TaskScheduler.UnobservedTaskException += OnUnobservedTaskException;

    public override string Name => "leaky";

    private void OnUnobservedTaskException(object? sender, UnobservedTaskExceptionEventArgs e)
    {
    }
}

/// <summary>
/// Its init works, but disposes the loop the test handed it (AppDomain data <see cref="LoopKey"/>),
/// so the port's open fails after the driver was made: the race of a loop disposed between the
/// spec's choice of loop and the port's start, made deterministic.
/// </summary>
[LoadableDriver("loop-disposing")]
public sealed class LoopDisposingDriver : PortDriver
{
    public const string LoopKey = "ReactivePorts.Tests.LoopToDispose";

    public LoopDisposingDriver() => (AppDomain.CurrentDomain.GetData(LoopKey) as IDisposable)?.Dispose();

    public override string Name => "loop-disposing";
}

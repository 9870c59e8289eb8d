namespace ReactivePorts.Drivers;

/// <summary>How a monitored wait ended (Erlang's <c>'UP'</c>/<c>'DOWN'</c> tags, and the leak this library adds).</summary>
public enum DriverEventReason
{
    /// <summary>Up: the driver is loaded (a pending load or reload completed).</summary>
    Loaded,

    /// <summary>Down: the driver was unloaded, and its load context was collected (proven with a weak reference).</summary>
    Unloaded,

    /// <summary>Down: a pending load was cancelled (every owner unloaded the driver before the reload happened).</summary>
    LoadCancelled,

    /// <summary>Up: a pending unload was cancelled (someone loaded the driver again while it waited for its ports).</summary>
    UnloadCancelled,

    /// <summary>Up: the driver is permanent (or built in), so it will never be unloaded.</summary>
    Permanent,

    /// <summary>Down: the reload failed (see <see cref="DriverEvent.Failure"/>); the driver is gone.</summary>
    LoadFailure,

    /// <summary>
    /// Down: the driver was unloaded, but something still holds its load context after the bounded
    /// collection (a static event handler, a thread, a cache, a kept port or driver instance): its
    /// code and memory were not reclaimed. Never reported as <see cref="Unloaded"/>.
    /// </summary>
    Leaked,
}

/// <summary>What a <see cref="DriverMonitor"/> reports, once (Erlang's <c>{'UP' | 'DOWN', Ref, driver, Name, Tag}</c>).</summary>
/// <param name="Driver">The driver's name.</param>
/// <param name="Reason">What happened.</param>
/// <param name="Failure">Why the reload failed, for <see cref="DriverEventReason.LoadFailure"/>; null otherwise.</param>
public sealed record DriverEvent(string Driver, DriverEventReason Reason, DriverLoadException? Failure = null)
{
    /// <summary>Whether this is an "up" event (loaded, permanent, unload cancelled) rather than a "down" one.</summary>
    public bool IsUp => Reason is DriverEventReason.Loaded or DriverEventReason.Permanent or DriverEventReason.UnloadCancelled;

    /// <inheritdoc/>
    public override string ToString() => $"{(IsUp ? "UP" : "DOWN")} {Driver} {Reason}{(Failure is null ? "" : $": {Failure.Message}")}";
}

/// <summary>What to monitor a driver for (Erlang's <c>erlang:monitor(driver, {Name, loaded | unloaded})</c>).</summary>
public enum DriverMonitorKind
{
    /// <summary>Until it is loaded (up <see cref="DriverEventReason.Loaded"/>/<see cref="DriverEventReason.Permanent"/>, or down when that will not happen).</summary>
    Loaded,

    /// <summary>Until it is unloaded and collected (down <see cref="DriverEventReason.Unloaded"/> or <see cref="DriverEventReason.Leaked"/>, or up when that will not happen).</summary>
    Unloaded,
}

namespace ReactivePorts;

/// <summary>
/// What a watcher of every port is told: a port opened, spawned, became busy, got its exit status,
/// ended. The Monitoring layer, above this one, implements it and plugs itself in when the assembly
/// loads; the ports only call it at those few moments, never per packet.
/// </summary>
internal interface IPortTracker
{
    /// <summary>The port was opened and is about to start (the opener's thread).</summary>
    void OnOpened(Port port);

    /// <summary>A child was spawned in <paramref name="duration"/> (the opener's thread).</summary>
    void OnSpawned(TimeSpan duration);

    /// <summary>The port became busy (its loop thread).</summary>
    void OnBusy(Port port);

    /// <summary>The port's process exit status is known (its loop thread).</summary>
    void OnExitStatus(Port port, ExitStatus status);

    /// <summary>The port is torn down: nothing more is read or written (its loop thread, or the opener's when it could not start).</summary>
    void OnEnded(Port port);
}

/// <summary>Where the ports find their tracker (set once, at module load, by the Monitoring layer).</summary>
internal static class PortTracking
{
    internal static IPortTracker? Tracker { get; set; }
}

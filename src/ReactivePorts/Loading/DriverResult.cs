namespace ReactivePorts.Drivers;

/// <summary>What a load, reload or unload did (Erlang's <c>{ok, Status}</c>, <c>{ok, Status, Ref}</c> or <c>{error, Reason}</c>).</summary>
public enum DriverStatus
{
    /// <summary>It failed: see <see cref="DriverResult.Error"/>.</summary>
    Failed = 0,

    /// <summary>The driver was loaded now.</summary>
    Loaded,

    /// <summary>The driver was loaded already; this owner holds one more reference to it.</summary>
    AlreadyLoaded,

    /// <summary>
    /// Waiting for the driver: an unload or reload waits until no port of it is open (and, for an
    /// unload, until its code is collected); a load waits for a pending reload.
    /// </summary>
    PendingDriver,

    /// <summary>Waiting for other owners to let the driver go (unload, or a reload with <see cref="DriverPending.Pending"/>).</summary>
    PendingProcess,
}

/// <summary>
/// The answer to <see cref="DriverOwner.TryLoad"/> and <see cref="DriverOwner.TryUnload"/>: a status,
/// the error when it failed, and the monitor when one was asked for and the status is pending.
/// </summary>
public sealed class DriverResult
{
    internal DriverResult(DriverStatus status, DriverMonitor? monitor = null, DriverLoadException? error = null)
    {
        Status = status;
        Monitor = monitor;
        Error = error;
    }

    /// <summary>What happened.</summary>
    public DriverStatus Status { get; }

    /// <summary>Why it failed; null unless <see cref="Status"/> is <see cref="DriverStatus.Failed"/>.</summary>
    public DriverLoadException? Error { get; }

    /// <summary>
    /// The monitor (Erlang's monitor reference) when the options asked for one and the status is
    /// pending: it reports how the wait ends (<see cref="DriverEventReason.Loaded"/>,
    /// <see cref="DriverEventReason.Unloaded"/>, a cancellation, a failure…), then completes.
    /// </summary>
    public DriverMonitor? Monitor { get; }

    /// <summary>Whether it did not fail.</summary>
    public bool IsSuccess => Status != DriverStatus.Failed;

    /// <summary>Throws <see cref="Error"/> if it failed; returns this result otherwise.</summary>
    /// <exception cref="DriverLoadException">It failed.</exception>
    public DriverResult ThrowIfFailed() => Error is null ? this : throw Error;

    /// <inheritdoc/>
    public override string ToString() =>
        Error is not null ? $"Failed: {Error.Error}" : Monitor is not null ? $"{Status} (monitored)" : Status.ToString();
}

using System.Diagnostics.CodeAnalysis;

namespace ReactivePorts.Drivers;

/// <summary>
/// An owner of loaded drivers, in the part of an Erlang process: its loads are reference counted
/// (each load counts once more, each unload once less), and disposing it is the process dying —
/// every reference and monitor it has goes at once, which may unload (or kill the ports of)
/// drivers nobody else holds. Made by <see cref="DriverLoader.CreateOwner"/>. Thread-safe.
/// </summary>
public sealed class DriverOwner : IDisposable
{
    private readonly DriverLoader _loader;
    private int _disposed;

    internal DriverOwner(DriverLoader loader, string name)
    {
        _loader = loader;
        Name = name;
    }

    /// <summary>The name given at creation.</summary>
    public string Name { get; }

    /// <summary>Whether the owner has been disposed (has died).</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Loads the driver declared as <paramref name="name"/> in the assembly at <paramref name="path"/>,
    /// or takes one more reference to it if it is loaded (Erlang's <c>erl_ddll:try_load/3</c>), or
    /// reloads it from <paramref name="path"/> (<see cref="DriverLoadOptions.Reload"/>). Errors come
    /// back in the result (<see cref="DriverResult.Error"/>), never half-loaded.
    /// </summary>
    /// <param name="path">The plugin assembly file.</param>
    /// <param name="name">The driver's name (<see cref="LoadableDriverAttribute.Name"/>).</param>
    /// <param name="options">Kill ports, monitor, reload; none by default.</param>
    /// <returns>
    /// <see cref="DriverStatus.Loaded"/>; <see cref="DriverStatus.AlreadyLoaded"/>;
    /// <see cref="DriverStatus.PendingDriver"/> or <see cref="DriverStatus.PendingProcess"/> (a reload
    /// that waits, or a load that waits for a pending reload), with a monitor if asked for; or
    /// <see cref="DriverStatus.Failed"/>.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="name"/> is empty, or an option is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    [RequiresUnreferencedCode(DriverAssembly.TrimMessage)]
    public DriverResult TryLoad(string path, string name, DriverLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new DriverLoadOptions();
        CheckPending(options.Monitor, nameof(options));
        CheckPending(options.Reload, nameof(options));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _loader.TryLoad(this, Path.GetFullPath(path), name, options);
    }

    /// <summary>
    /// Drops one of this owner's references to <paramref name="name"/> (Erlang's
    /// <c>erl_ddll:try_unload/2</c>). When it was the last, the driver unloads once its ports have
    /// closed (or at once, their ports aborted, with kill ports) and its context is collected.
    /// </summary>
    /// <param name="name">The driver's name.</param>
    /// <param name="options">Kill ports, monitor; none by default.</param>
    /// <returns>
    /// <see cref="DriverStatus.PendingProcess"/> when other owners still hold it;
    /// <see cref="DriverStatus.PendingDriver"/> when it is on its way out (waiting for its ports, then
    /// for its context to be collected: an <see cref="DriverEventReason.Unloaded"/> monitor event says
    /// when), with a monitor if asked for; or <see cref="DriverStatus.Failed"/>.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or an option is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    public DriverResult TryUnload(string name, DriverUnloadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new DriverUnloadOptions();
        CheckPending(options.Monitor, nameof(options));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _loader.TryUnload(this, name, options);
    }

    /// <summary>
    /// Monitors <paramref name="name"/> until it is loaded or until it is unloaded (Erlang's
    /// <c>erlang:monitor(driver, {Name, loaded | unloaded})</c>). When the answer is known now (it
    /// is loaded, not loaded, permanent, built in) the monitor has its event at once.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="kind"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    public DriverMonitor Monitor(string name, DriverMonitorKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (kind is not (DriverMonitorKind.Loaded or DriverMonitorKind.Unloaded)) throw new ArgumentException($"Unknown monitor kind {(int)kind}.", nameof(kind));
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _loader.Monitor(this, name, kind);
    }

    /// <summary>The owner dies: every reference and monitor it holds goes (its monitors complete without an event).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _loader.OwnerDied(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"DriverOwner({Name})";

    private static void CheckPending(DriverPending value, string parameter)
    {
        if (value is not (DriverPending.None or DriverPending.PendingDriver or DriverPending.Pending))
            throw new ArgumentException($"Unknown pending option {(int)value}.", parameter);
    }
}

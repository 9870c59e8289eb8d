using System.Reactive.Subjects;

namespace ReactivePorts.Drivers;

/// <summary>
/// A monitor on a loaded driver (Erlang's monitor reference): an observable that reports one
/// <see cref="DriverEvent"/> and completes, also to subscribers that come after the event.
/// Disposing it (Erlang's <c>demonitor</c>) or the owner's death removes it: it then completes with
/// no event. Events are raised on the thread that caused them (never under the loader's lock).
/// </summary>
public sealed class DriverMonitor : IObservable<DriverEvent>, IDisposable
{
    private readonly AsyncSubject<DriverEvent> _event = new();
    private readonly DriverLoader _loader;

    internal DriverMonitor(DriverLoader loader, DriverOwner owner, string driver, DriverMonitorKind kind)
    {
        _loader = loader;
        Owner = owner;
        Driver = driver;
        Kind = kind;
    }

    /// <summary>The driver's name.</summary>
    public string Driver { get; }

    /// <summary>What it waits for.</summary>
    public DriverMonitorKind Kind { get; }

    internal DriverOwner Owner { get; }

    /// <summary>Subscribes to the event (delivered at once if it has happened).</summary>
    public IDisposable Subscribe(IObserver<DriverEvent> observer) => _event.Subscribe(observer);

    /// <summary>Removes the monitor (Erlang's <c>demonitor</c>): it completes without an event if none came yet.</summary>
    public void Dispose()
    {
        _loader.Demonitor(this);
        _event.OnCompleted();
    }

    /// <summary>Reports the event and completes (outside the loader's lock).</summary>
    internal void Fire(DriverEvent e)
    {
        _event.OnNext(e);
        _event.OnCompleted();
    }

    /// <summary>Completes with no event (the owner died).</summary>
    internal void Drop() => _event.OnCompleted();
}

namespace ReactivePorts.Monitoring;

/// <summary>How a monitor samples the open ports (<see cref="PortMonitor.Watch"/>).</summary>
public sealed record PortMonitorOptions
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _retention = TimeSpan.FromSeconds(5);

    /// <summary>Time between samples, so at most one change set per interval (1 second by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public TimeSpan Interval
    {
        get => _interval;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(Interval));
            _interval = value;
        }
    }

    /// <summary>How long an exited port stays in view (as <see cref="MonitoredPortState.Exited"/>) before it is removed (5 seconds by default; zero removes it at once).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below zero.</exception>
    public TimeSpan Retention
    {
        get => _retention;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(Retention));
            _retention = value;
        }
    }

    /// <summary>Which ports to show (all by default); asked once per port, when the monitor first sees it.</summary>
    public Func<Port, bool>? Filter { get; init; }
}

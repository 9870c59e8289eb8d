using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Monitoring;

/// <summary>
/// The process-wide registry of open ports: every port from its opening to its teardown, numbered,
/// told to the monitors watching (so one that opened and ended between two samples is still seen),
/// and the counts of ports that ended (so the metrics' totals never go down).
/// </summary>
internal sealed class PortTracker : IPortTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Port, TrackedPort> _open = new(ReferenceEqualityComparer.Instance);
    private readonly List<ConcurrentQueue<TrackedPort>> _watchers = new();
    private readonly Dictionary<string, PortCounts> _ended = new(StringComparer.Ordinal);
    private long _lastId;

    private PortTracker() => Metrics = new PortMetrics(this);

    /// <summary>The one tracker, installed when the assembly loads.</summary>
    public static PortTracker Instance { get; } = new();

    public PortMetrics Metrics { get; }

    // Ports sit below this layer and cannot name it, so the tracker plugs itself in at load; that
    // is also what makes the meter visible to listeners (dotnet-counters, OpenTelemetry) with no
    // call from the application.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Installs the port tracker, which the lower layers cannot reference; cheap and side-effect free beyond creating the meter.")]
    internal static void Install() => PortTracking.Tracker = Instance;

    /// <summary>Adds a watcher's inbox for ports opened from now on, and returns those open now (atomically: each port is in one or the other).</summary>
    public TrackedPort[] Attach(ConcurrentQueue<TrackedPort> inbox)
    {
        lock (_gate)
        {
            _watchers.Add(inbox);
            return [.. _open.Values];
        }
    }

    public void Detach(ConcurrentQueue<TrackedPort> inbox)
    {
        lock (_gate) _watchers.Remove(inbox);
    }

    public void OnOpened(Port port)
    {
        lock (_gate)
        {
            var tracked = new TrackedPort(++_lastId, port);
            _open[port] = tracked;
            foreach (var inbox in _watchers) inbox.Enqueue(tracked);
        }
    }

    public void OnEnded(Port port)
    {
        lock (_gate)
        {
            if (!_open.Remove(port, out var tracked)) return;
            _ended[tracked.Kind] = (_ended.TryGetValue(tracked.Kind, out var total) ? total : default) + PortCounts.Of(port);
        }
    }

    public void OnSpawned(TimeSpan duration) => Metrics.RecordSpawn(duration);

    public void OnBusy(Port port) => Metrics.RecordBusy(port.DriverName);

    public void OnExitStatus(Port port, ExitStatus status) => Metrics.RecordExit(port.DriverName, status);

    /// <summary>Per driver: how many ports are open and what all of them (open or ended) have moved.</summary>
    public Dictionary<string, (long Open, PortCounts Counts)> Totals()
    {
        lock (_gate)
        {
            var totals = new Dictionary<string, (long Open, PortCounts Counts)>(StringComparer.Ordinal);
            foreach (var (kind, counts) in _ended) totals[kind] = (0, counts);
            foreach (var tracked in _open.Values)
            {
                var (open, counts) = totals.TryGetValue(tracked.Kind, out var t) ? t : default;
                totals[tracked.Kind] = (open + 1, counts + PortCounts.Of(tracked.Port));
            }
            return totals;
        }
    }
}

/// <summary>Bytes and packets a port (or several) moved.</summary>
internal readonly record struct PortCounts(long BytesRead, long BytesWritten, long PacketsRead, long PacketsWritten)
{
    public static PortCounts Of(Port port)
    {
        var core = port.Core;
        return new(core.BytesRead, core.BytesWritten, core.PacketsRead, core.PacketsWritten);
    }

    public static PortCounts operator +(PortCounts a, PortCounts b) =>
        new(a.BytesRead + b.BytesRead, a.BytesWritten + b.BytesWritten, a.PacketsRead + b.PacketsRead, a.PacketsWritten + b.PacketsWritten);
}

using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace ReactivePorts.Monitoring;

/// <summary>
/// A live view of every open port of this process, whatever its driver, and the name of the
/// library's <see cref="System.Diagnostics.Metrics.Meter"/>.
/// </summary>
/// <remarks>
/// <para>The view is a change stream in DynamicData's model: a change set of additions (the
/// snapshot) on subscribing, then, at most once per <see cref="PortMonitorOptions.Interval"/>,
/// the additions, updates and removals a sample found. Rows are keyed by
/// <see cref="MonitoredPort.Id"/>. To use it with DynamicData, fill a source cache from it:</para>
/// <code>
/// var cache = new SourceCache&lt;MonitoredPort, long&gt;(p =&gt; p.Id);
/// PortMonitor.Watch(RxApp.MainThreadScheduler).Subscribe(changes =&gt; cache.Edit(rows =&gt;
/// {
///     foreach (var change in changes)
///         if (change.Reason == PortChangeReason.Remove) rows.RemoveKey(change.Key);
///         else rows.AddOrUpdate(change.Current);
/// }));
/// </code>
/// <para>(<see cref="PortChangeReason"/>'s values are DynamicData's <c>ChangeReason</c> values, so a
/// cast also converts one change at a time.)</para>
/// </remarks>
public static class PortMonitor
{
    /// <summary>
    /// The name of the library's meter, "ReactivePorts": instruments <c>reactiveports.ports.open</c>,
    /// <c>reactiveports.port.bytes.read</c>/<c>.written</c>, <c>reactiveports.port.packets.read</c>/<c>.written</c>,
    /// <c>reactiveports.port.busy</c>, <c>reactiveports.port.exits</c> and <c>reactiveports.spawn.duration</c>,
    /// tagged with <c>reactiveports.driver</c>. The meter exists as soon as the library is loaded:
    /// <c>dotnet-counters monitor --counters ReactivePorts</c> or OpenTelemetry's <c>AddMeter("ReactivePorts")</c> see it with no other code.
    /// </summary>
    public const string MeterName = "ReactivePorts";

    /// <summary>
    /// Watches every open port: on subscribing, a change set adding each port open now; then, at
    /// most once per interval, the changes a sample found (ports opened, changed, or removed after
    /// exiting). Samples run on <paramref name="scheduler"/>, which also times the interval,
    /// the retention and the throughput, and change sets are delivered there, one at a time.
    /// </summary>
    /// <param name="scheduler">Where sampling runs and change sets are delivered (a UI's scheduler, a <c>TestScheduler</c>, <see cref="TaskPoolScheduler.Default"/>).</param>
    /// <param name="options">Interval, retention and filter; the defaults when null.</param>
    /// <returns>A cold observable: each subscription samples on its own and starts with its own snapshot. It never completes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    public static IObservable<PortChangeSet> Watch(IScheduler scheduler, PortMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var settings = options ?? new PortMonitorOptions();
        return Observable.Create<PortChangeSet>(observer => new PortWatch(PortTracker.Instance, scheduler, settings, observer).Start());
    }
}

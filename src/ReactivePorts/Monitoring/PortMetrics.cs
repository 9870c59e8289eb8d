using System.Diagnostics.Metrics;

namespace ReactivePorts.Monitoring;

/// <summary>
/// The library's instruments, on the meter <see cref="PortMonitor.MeterName"/>. Counts are read
/// from the ports when a listener collects (nothing is pushed per packet); events (busy, exits,
/// spawns) are recorded as they happen. Every port instrument is tagged with the driver's name.
/// </summary>
internal sealed class PortMetrics
{
    public const string DriverTag = "reactiveports.driver";
    public const string ExitCodeTag = "reactiveports.exit.code";
    public const string ExitSignalTag = "reactiveports.exit.signal";

    private readonly Meter _meter;
    private readonly Counter<long> _busy;
    private readonly Counter<long> _exits;
    private readonly Histogram<double> _spawnDuration;

    public PortMetrics(PortTracker tracker)
    {
        _meter = new Meter(PortMonitor.MeterName, typeof(PortMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableUpDownCounter("reactiveports.ports.open", () => Measure(tracker, t => t.Open), "{port}", "Ports open (from opening to teardown).");
        _meter.CreateObservableCounter("reactiveports.port.bytes.read", () => Measure(tracker, t => t.Counts.BytesRead), "By", "Payload bytes delivered from ports (their output).");
        _meter.CreateObservableCounter("reactiveports.port.bytes.written", () => Measure(tracker, t => t.Counts.BytesWritten), "By", "Bytes written into ports (their input), framing headers included.");
        _meter.CreateObservableCounter("reactiveports.port.packets.read", () => Measure(tracker, t => t.Counts.PacketsRead), "{packet}", "Packets delivered from ports.");
        _meter.CreateObservableCounter("reactiveports.port.packets.written", () => Measure(tracker, t => t.Counts.PacketsWritten), "{packet}", "Packets written into ports.");
        _busy = _meter.CreateCounter<long>("reactiveports.port.busy", "{transition}", "Times a port became busy (its queue reached the high mark).");
        _exits = _meter.CreateCounter<long>("reactiveports.port.exits", "{exit}", "Exit statuses of port processes, tagged with the exit code or the signal's name.");
        _spawnDuration = _meter.CreateHistogram<double>("reactiveports.spawn.duration", "s", "Time to spawn a port's child process (posix_spawn and its pipes).");
    }

    public void RecordBusy(string kind) => _busy.Add(1, new KeyValuePair<string, object?>(DriverTag, kind));

    public void RecordExit(string kind, ExitStatus status)
    {
        var driver = new KeyValuePair<string, object?>(DriverTag, kind);
        if (status.ExitCode is { } code) _exits.Add(1, driver, new(ExitCodeTag, code));
        else if (status.SignalName is { } signal) _exits.Add(1, driver, new(ExitSignalTag, signal));
        else _exits.Add(1, driver);
    }

    public void RecordSpawn(TimeSpan duration) => _spawnDuration.Record(duration.TotalSeconds);

    private static IEnumerable<Measurement<long>> Measure(PortTracker tracker, Func<(long Open, PortCounts Counts), long> value)
    {
        foreach (var (kind, totals) in tracker.Totals())
            yield return new Measurement<long>(value(totals), new KeyValuePair<string, object?>(DriverTag, kind));
    }
}

using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace ReactivePorts.Monitoring;

/// <summary>
/// One subscription to <see cref="PortMonitor.Watch"/>: its own rows, sampled on its scheduler.
/// Ports are read (<see cref="Port.GetInfo"/>) when a sample runs, never pushed from their loops.
/// </summary>
internal sealed class PortWatch(PortTracker tracker, IScheduler scheduler, PortMonitorOptions options, IObserver<PortChangeSet> observer)
{
    private readonly ConcurrentQueue<TrackedPort> _opened = new();   // told by the tracker, taken by the next sample
    private readonly Dictionary<long, Row> _rows = new();
    private readonly Lock _gate = new();                              // one sample built at a time (never held while user code is told)
    private readonly SerialDisposable _periodic = new();
    private volatile bool _stopped;                                   // no sample built or delivered after disposal

    public IDisposable Start()
    {
        var open = tracker.Attach(_opened);
        var first = scheduler.Schedule(open, (_, ports) =>
        {
            // Periodic from here, so no sample can come before the snapshot.
            if (Run(() => Snapshot(ports)))
                _periodic.Disposable = scheduler.SchedulePeriodic(options.Interval, () => Run(Sample));
            return Disposable.Empty;
        });
        return Disposable.Create(() =>
        {
            // Not under the gate: a subscriber may dispose from a thread its OnNext is waiting for.
            _stopped = true;
            tracker.Detach(_opened);
            first.Dispose();
            _periodic.Dispose();
        });
    }

    private PortChangeSet Snapshot(TrackedPort[] open)
    {
        var changes = new List<PortChange>();
        var now = scheduler.Now;
        foreach (var tracked in open) Add(tracked, now, changes);
        return new PortChangeSet([.. changes]);
    }

    private PortChangeSet? Sample()
    {
        var now = scheduler.Now;
        var changes = new List<PortChange>();
        List<long>? removed = null;
        foreach (var row in _rows.Values)
        {
            var next = Describe(row, now);
            if (next.State == MonitoredPortState.Exited && now - (row.ExitedAt ??= now) >= options.Retention)
            {
                changes.Add(new PortChange(PortChangeReason.Remove, next, null));
                (removed ??= new()).Add(next.Id);
            }
            else if (next != row.Last)
            {
                changes.Add(new PortChange(PortChangeReason.Update, next, row.Last));
                row.Last = next;
            }
        }
        if (removed is not null) foreach (long id in removed) _rows.Remove(id);
        // Ports opened since the last sample, after the updates: each appears once in a change set.
        while (_opened.TryDequeue(out var tracked)) Add(tracked, now, changes);
        return changes.Count > 0 ? new PortChangeSet([.. changes]) : null;
    }

    private void Add(TrackedPort tracked, DateTimeOffset now, List<PortChange> changes)
    {
        if (_rows.ContainsKey(tracked.Id) || options.Filter is { } filter && !filter(tracked.Port)) return;
        var row = new Row(tracked, now);
        var first = Describe(row, now);
        if (first.State == MonitoredPortState.Exited)
        {
            // Opened and ended between two samples: shown as exited for its retention, if any.
            if (options.Retention <= TimeSpan.Zero) return;
            row.ExitedAt = now;
        }
        row.Last = first;
        _rows.Add(tracked.Id, row);
        changes.Add(new PortChange(PortChangeReason.Add, first, null));
    }

    /// <summary>Reads the port now; the throughput is over the time since the row was last read.</summary>
    private static MonitoredPort Describe(Row row, DateTimeOffset now)
    {
        var info = row.Tracked.Port.GetInfo();
        double seconds = (now - row.SampledAt).TotalSeconds;
        var last = row.Last;
        double readRate = last is null || seconds <= 0 ? 0 : (info.BytesRead - last.BytesRead) / seconds;
        double writeRate = last is null || seconds <= 0 ? 0 : (info.BytesWritten - last.BytesWritten) / seconds;
        row.SampledAt = now;
        var state = info.State switch
        {
            PortState.Closed => MonitoredPortState.Exited,
            PortState.Closing => MonitoredPortState.Closing,
            _ => info.IsBusy ? MonitoredPortState.Busy : MonitoredPortState.Open,
        };
        return new MonitoredPort(row.Tracked.Id, info.Name, row.Tracked.Kind, info.OsPid, state,
            info.BytesRead, info.BytesWritten, info.PacketsRead, info.PacketsWritten, info.QueueSize,
            info.ExitStatus, readRate, writeRate);
    }

    /// <summary>
    /// Builds a sample under the gate unless stopped, then delivers it outside the gate (false when
    /// stopped). A failure to build (a filter that throws) ends the stream with it; an exception
    /// from the observer's own OnNext is not sent back to it (Rx's grammar): the watch stops and the
    /// exception goes on to the scheduler, which reports it.
    /// </summary>
    private bool Run(Func<PortChangeSet?> sample)
    {
        PortChangeSet? changes = null;
        Exception? error = null;
        lock (_gate)
        {
            if (_stopped) return false;
            try
            {
                changes = sample();
            }
            catch (Exception ex)
            {
                _stopped = true;
                error = ex;
            }
        }
        if (error is not null)
        {
            Stop();
            observer.OnError(error);
            return false;
        }
        if (_stopped) return false;
        if (changes is null) return true;
        try
        {
            observer.OnNext(changes);
        }
        catch
        {
            Stop();
            throw;
        }
        return !_stopped;
    }

    private void Stop()
    {
        _stopped = true;
        tracker.Detach(_opened);
        _periodic.Dispose();
    }

    private sealed class Row(TrackedPort tracked, DateTimeOffset sampledAt)
    {
        public TrackedPort Tracked { get; } = tracked;

        public DateTimeOffset SampledAt { get; set; } = sampledAt;

        public MonitoredPort? Last { get; set; }

        public DateTimeOffset? ExitedAt { get; set; }
    }
}

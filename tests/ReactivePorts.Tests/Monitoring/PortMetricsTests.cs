using System.Diagnostics.Metrics;
using ReactivePorts.Framing;
using ReactivePorts.Monitoring;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Monitoring;

/// <summary>
/// Run alone: the byte, packet and open-port instruments are process-wide sums per driver, which
/// ports of tests running alongside would move.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>
/// The "ReactivePorts" meter, read with a MeterListener (as dotnet-counters and OpenTelemetry read
/// it) while real children run. Event instruments (busy, exits) are recorded on the port's loop
/// thread, so each test keeps only what its own loop recorded; spawn times are recorded on the
/// opener's thread.
/// </summary>
[Collection(nameof(MetricsCollection))]
public sealed class PortMetricsTests
{
    private static readonly string[] s_instruments =
    [
        "reactiveports.ports.open", "reactiveports.port.bytes.read", "reactiveports.port.bytes.written",
        "reactiveports.port.packets.read", "reactiveports.port.packets.written", "reactiveports.port.busy",
        "reactiveports.port.exits", "reactiveports.spawn.duration",
    ];

    [Fact]
    public void Meter_IsPublishedUnderTheLibrarysName_WithEveryInstrument()
    {
        var seen = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == PortMonitor.MeterName) lock (seen) seen.Add(instrument.Name);
            },
        };
        listener.Start();
        Assert.Equal("ReactivePorts", PortMonitor.MeterName);
        Assert.Equal(s_instruments.Order(), seen.Order());
    }

    [Fact(Timeout = 30000)]
    public async Task CountsOfACatPort_MoveByWhatItReadAndWrote_AndTheOpenCountFollowsIt()
    {
        using var meter = new Recorder();
        var before = meter.Collect();
        var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line(4096)).Open();
        var recorder = new PortRecorder(port);
        var open = meter.Collect();
        Assert.Equal(1, open.Open - before.Open);

        byte[] line = Bytes(new string('x', 999) + "\n");
        for (int i = 0; i < 100; i++) await port.WriteAsync(line);
        await port.WriteBatchAsync([line, line, line]);
        port.CompleteInput();
        await recorder.Completed;
        await port.Completion.WaitAsync(TestTimeout);
        Assert.Equal(103, recorder.Packets.Count);

        var after = meter.Collect();
        Assert.Equal((0L, 103L * 999, 103L * 1000, 103L, 103L),
            (after.Open - before.Open, after.BytesRead - before.BytesRead, after.BytesWritten - before.BytesWritten,
             after.PacketsRead - before.PacketsRead, after.PacketsWritten - before.PacketsWritten));
        // The port's own view agrees.
        var info = port.GetInfo();
        Assert.Equal((103L * 999, 103L * 1000, 103L, 103L), (info.BytesRead, info.BytesWritten, info.PacketsRead, info.PacketsWritten));
    }

    [Fact(Timeout = 30000)]
    public async Task ExitStatuses_AreCountedWithTheirCodeOrSignal_AndSpawnsAreTimed()
    {
        using var loop = new PollScheduler();
        using var meter = new Recorder(loop);
        var spec = Port.Spawn("sh -c 'exit 7'").WithScheduler(loop);
        var exited = spec.Open();
        var killed = Port.Spawn("sh -c 'kill -TERM $$'").WithScheduler(loop).Open();
        Assert.Equal(7, (await exited.Exit.WaitAsync(TestTimeout)).ExitCode);
        Assert.Equal(15, (await killed.Exit.WaitAsync(TestTimeout)).Signal);
        exited.Dispose();
        killed.Dispose();

        Assert.Equal(
            ["code=7 driver=spawn", "driver=spawn signal=SIGTERM"],
            meter.Events("reactiveports.port.exits").Select(e => e.Tags).Order());
        var spawns = meter.Events("reactiveports.spawn.duration");
        Assert.Equal(2, spawns.Count);
        Assert.All(spawns, s => Assert.InRange(s.Value, 1e-7, 30));
    }

    [Fact(Timeout = 30000)]
    public async Task BusyTransitions_AreCountedOncePerTransition()
    {
        using var loop = new PollScheduler();
        using var meter = new Recorder(loop);
        var port = Port.Spawn("sleep 30").WithScheduler(loop).WithBusyLimits(1, 2).Open();
        try
        {
            var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var _ = port.Busy.Subscribe(b => { if (b) busy.TrySetResult(); });
            // Chunks fill the pipe, then one stays queued: busy from then on, as the child never reads.
            var chunk = new byte[64 * 1024];
            for (int i = 0; i < 64 && !busy.Task.IsCompleted; i++)
            {
                port.WriteForced(chunk);
                await loop.Barrier(); // the loop has taken stock of the write
            }
            await busy.Task.WaitAsync(TestTimeout);
            port.WriteForced(chunk); // still busy: no second transition
            await loop.Barrier();
            Assert.Equal(["driver=spawn"], meter.Events("reactiveports.port.busy").Select(e => e.Tags));
        }
        finally
        {
            port.Kill();
            port.Dispose();
            await port.Exit.WaitAsync(TestTimeout);
        }
    }

    /// <summary>Listens to the library's meter: events recorded on one loop's thread (or the opening thread), and the observable instruments on demand.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, double Value, string Tags)> _events = new();
        private readonly Dictionary<string, long> _observed = new();
        private readonly int _openerThread = Environment.CurrentManagedThreadId;

        public Recorder(PollScheduler? loop = null)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PortMonitor.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, loop));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags, loop));
            _listener.Start();
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, PollScheduler? loop)
        {
            string tagText = string.Join(" ", tags.ToArray().Select(t => $"{t.Key.Split('.')[^1]}={t.Value}").Order());
            if (instrument.IsObservable)
            {
                if (tagText == "driver=spawn") _observed[instrument.Name] = (long)value;
                return;
            }
            bool mine = instrument.Name == "reactiveports.spawn.duration" ? Environment.CurrentManagedThreadId == _openerThread : loop?.IsLoopThread == true;
            if (mine) lock (_events) _events.Add((instrument.Name, value, tagText));
        }

        public List<(string Instrument, double Value, string Tags)> Events(string instrument)
        {
            lock (_events) return _events.Where(e => e.Instrument == instrument).ToList();
        }

        /// <summary>The spawn driver's open ports, bytes and packets now.</summary>
        public (long Open, long BytesRead, long BytesWritten, long PacketsRead, long PacketsWritten) Collect()
        {
            _observed.Clear();
            _listener.RecordObservableInstruments();
            long Get(string name) => _observed.TryGetValue(name, out long v) ? v : 0;
            return (Get("reactiveports.ports.open"), Get("reactiveports.port.bytes.read"), Get("reactiveports.port.bytes.written"),
                Get("reactiveports.port.packets.read"), Get("reactiveports.port.packets.written"));
        }

        public void Dispose() => _listener.Dispose();
    }
}

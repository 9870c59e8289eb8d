using System.Reactive;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Monitoring;
using ReactivePorts.Testing;
using ReactivePorts.Tests.Drivers;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Monitoring;

/// <summary>
/// The live view of ports (PortMonitor.Watch) sampled in virtual time: real ports on real
/// processes, a TestScheduler driving the samples. Each test waits for the port to reach the state
/// it wants to see, then advances virtual time, so every change set lands at an exact tick. Tests
/// run in parallel with others that open ports, so each watches only its own (the filter).
/// </summary>
public sealed class PortMonitorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromTicks(100);
    private static readonly TimeSpan Retention = TimeSpan.FromTicks(300);

    private static PortMonitorOptions Only(params Port[] ports) =>
        new() { Interval = Interval, Retention = Retention, Filter = p => ports.Contains(p) };

    [Fact(Timeout = 20000)]
    public async Task Watch_SnapshotCountersExitAndRemoval_AtExactTicks()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        using var _ = PortMonitor.Watch(scheduler, Only(port)).Subscribe(observer);

        scheduler.AdvanceTo(1); // the snapshot: scheduled at once, so at the next tick
        var added = Assert.Single(Single(observer, 1));
        Assert.Equal(PortChangeReason.Add, added.Reason);
        Assert.Equal(("/bin/cat", "spawn", port.OsPid, MonitoredPortState.Open, 0L, 0L, 0L, 0L, (ExitStatus?)null, 0.0),
            (added.Current.Name, added.Current.Kind, added.Current.OsPid, added.Current.State, added.Current.BytesRead,
             added.Current.BytesWritten, added.Current.PacketsRead, added.Current.PacketsWritten, added.Current.ExitStatus, added.Current.ReadBytesPerSecond));

        await port.WriteAsync(Bytes("one\n"));
        await port.WriteAsync(Bytes("two\n"));
        await port.WriteAsync(Bytes("three\n"));
        await WaitFor(() => recorder.Packets.Count == 3);
        scheduler.AdvanceTo(101); // the first sample: one update for everything since the snapshot
        var moved = Assert.Single(Single(observer, 101));
        Assert.Equal(PortChangeReason.Update, moved.Reason);
        Assert.Same(added.Current, moved.Previous);
        Assert.Equal((MonitoredPortState.Open, 11L, 14L, 3L, 3L, 0L), // lines without their newline; raw bytes in
            (moved.Current.State, moved.Current.BytesRead, moved.Current.BytesWritten, moved.Current.PacketsRead, moved.Current.PacketsWritten, moved.Current.QueueSize));
        Assert.Equal(11 / Interval.TotalSeconds, moved.Current.ReadBytesPerSecond);
        Assert.Equal(14 / Interval.TotalSeconds, moved.Current.WrittenBytesPerSecond);

        scheduler.AdvanceTo(201); // idle: the throughput falls to zero, once
        var idle = Assert.Single(Single(observer, 201));
        Assert.Equal((0.0, 0.0, 11L), (idle.Current.ReadBytesPerSecond, idle.Current.WrittenBytesPerSecond, idle.Current.BytesRead));
        scheduler.AdvanceTo(301); // nothing changed: nothing is sent
        Assert.Equal(3, observer.Messages.Count);

        port.CompleteInput();
        await recorder.Completed;
        await port.Completion.WaitAsync(TestTimeout);
        scheduler.AdvanceTo(401);
        var exited = Assert.Single(Single(observer, 401));
        Assert.Equal((PortChangeReason.Update, MonitoredPortState.Exited, (int?)0), (exited.Reason, exited.Current.State, exited.Current.ExitStatus?.ExitCode));

        scheduler.AdvanceTo(601); // retained for 300 ticks from the sample that saw it exit…
        Assert.Equal(4, observer.Messages.Count);
        scheduler.AdvanceTo(701); // …then removed, with its last row
        var removed = Assert.Single(Single(observer, 701));
        Assert.Equal((PortChangeReason.Remove, port.OsPid, MonitoredPortState.Exited), (removed.Reason, removed.Current.OsPid, removed.Current.State));
        Assert.Equal(added.Key, removed.Key);
        scheduler.AdvanceTo(2001);
        Assert.Equal(5, observer.Messages.Count);
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_PortOpenedAndEndedBetweenSamples_IsStillShownAsExited()
    {
        await using var scope = new PortScope();
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        var mine = new List<Port>();
        var options = new PortMonitorOptions { Interval = Interval, Retention = Retention, Filter = p => mine.Contains(p) };
        using var _ = PortMonitor.Watch(scheduler, options).Subscribe(observer);
        scheduler.AdvanceTo(1);
        Assert.Empty(Single(observer, 1)); // the snapshot, empty: it is sent all the same

        var port = Port.Spawn("sh -c 'exit 3'").Open();
        mine.Add(scope.Add(port));
        await new PortRecorder(port).Completed;
        scheduler.AdvanceTo(101);
        var change = Assert.Single(Single(observer, 101));
        Assert.Equal((PortChangeReason.Add, MonitoredPortState.Exited, (int?)3), (change.Reason, change.Current.State, change.Current.ExitStatus?.ExitCode));
        scheduler.AdvanceTo(401);
        Assert.Equal(PortChangeReason.Remove, Assert.Single(Single(observer, 401)).Reason);
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_WithoutRetention_AnEndedPortIsRemovedAtTheSampleThatSeesIt()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var recorder = new PortRecorder(port);
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        using var _ = PortMonitor.Watch(scheduler, Only(port) with { Retention = TimeSpan.Zero }).Subscribe(observer);
        scheduler.AdvanceTo(1);
        port.CompleteInput();
        await recorder.Completed;
        await port.Completion.WaitAsync(TestTimeout);
        scheduler.AdvanceTo(101);
        var removed = Assert.Single(Single(observer, 101));
        Assert.Equal((PortChangeReason.Remove, MonitoredPortState.Exited), (removed.Reason, removed.Current.State));
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_BusyThenClosingThenExited_AsThePortGoesThroughThem()
    {
        await using var scope = new PortScope();
        // A child that never reads: the queue fills the pipe, then the port's limits.
        var port = scope.Open(Port.Spawn("sleep 30").WithBusyLimits(1, 2).WithFlushTimeout(TimeSpan.FromSeconds(30)));
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        using var _ = PortMonitor.Watch(scheduler, Only(port)).Subscribe(observer);
        scheduler.AdvanceTo(1);

        // Chunks fill the pipe, then one stays queued: busy from then on, as the child never reads.
        var chunk = new byte[64 * 1024];
        for (int i = 0; i < 64 && !port.GetInfo().IsBusy; i++)
        {
            port.WriteForced(chunk);
            await port.Scheduler.Barrier(); // the loop has taken stock of the write
        }
        scheduler.AdvanceTo(101);
        var busy = Assert.Single(Single(observer, 101)).Current;
        Assert.Equal(MonitoredPortState.Busy, busy.State);
        Assert.True(busy.QueueSize > 0, $"queue {busy.QueueSize}");

        var closing = port.CloseAsync(); // flushes in the background: the child still reads nothing
        await WaitFor(() => port.State == PortState.Closing);
        scheduler.AdvanceTo(201);
        Assert.Equal(MonitoredPortState.Closing, Assert.Single(Single(observer, 201)).Current.State);

        Libc_Kill(port.OsPid!.Value);
        await closing.WaitAsync(TestTimeout);
        await WaitFor(() => port.State == PortState.Closed);
        scheduler.AdvanceTo(301);
        var exited = Assert.Single(Single(observer, 301)).Current;
        Assert.Equal(MonitoredPortState.Exited, exited.State);
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_Snapshot_HasEveryKindOfPortOpenBeforeSubscribing()
    {
        await using var scope = new PortScope();
        var spawned = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var driver = new DelegateDriver { DriverName = "monitored-driver" };
        var own = scope.Add(await Port.Driver(() => driver).WithName("my port").OpenAsync().WaitAsync(TestTimeout));
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        using var _ = PortMonitor.Watch(scheduler, Only(spawned, own)).Subscribe(observer);
        scheduler.AdvanceTo(1);

        var snapshot = Single(observer, 1);
        Assert.Equal((2, 0, 0), (snapshot.Adds, snapshot.Updates, snapshot.Removes));
        var rows = snapshot.Select(c => c.Current).OrderBy(r => r.Id).ToList();
        Assert.Equal(("spawn", spawned.OsPid), (rows[0].Kind, rows[0].OsPid));
        Assert.Equal(("monitored-driver", "my port", (int?)null), (rows[1].Kind, rows[1].Name, rows[1].OsPid));
        Assert.NotEqual(rows[0].Id, rows[1].Id);
        await Task.CompletedTask;
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_TwoSubscriptions_EachGetsItsOwnSnapshot_AndDisposingStopsSampling()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var scheduler = new TestScheduler();
        var watch = PortMonitor.Watch(scheduler, Only(port));
        var first = scheduler.CreateObserver<PortChangeSet>();
        var second = scheduler.CreateObserver<PortChangeSet>();
        var subscription = watch.Subscribe(first);
        scheduler.AdvanceTo(50);
        using var _ = watch.Subscribe(second);
        scheduler.AdvanceTo(51);
        Assert.Equal(1, Single(first, 1).Adds);
        Assert.Equal(1, Single(second, 51).Adds);

        subscription.Dispose();
        port.Kill();
        await port.Exit.WaitAsync(TestTimeout);
        await WaitFor(() => port.State == PortState.Closed || port.GetInfo().ExitStatus is not null);
        scheduler.AdvanceTo(1000);
        Assert.Single(first.Messages);
        Assert.True(second.Messages.Count > 1);
    }

    [Fact]
    public void Watch_FilterThatThrows_EndsTheStreamWithItsError()
    {
        var scheduler = new TestScheduler();
        var observer = scheduler.CreateObserver<PortChangeSet>();
        var port = Port.SpawnExecutable("/bin/cat").Open();
        try
        {
            using var _ = PortMonitor.Watch(scheduler, new PortMonitorOptions { Filter = p => p == port ? throw new InvalidOperationException("bad filter") : false }).Subscribe(observer);
            scheduler.AdvanceTo(1);
            var error = Assert.Single(observer.Messages).Value;
            Assert.Equal(NotificationKind.OnError, error.Kind);
            Assert.Equal("bad filter", error.Exception!.Message);
        }
        finally
        {
            port.Kill();
            port.Dispose();
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Watch_DisposedFromAnotherThreadWhileOnNextWaitsForThatDisposal_Completes()
    {
        var scheduler = new TestScheduler();
        var entered = new ManualResetEventSlim();
        var disposed = new ManualResetEventSlim();
        bool sawDisposal = false;
        var observer = System.Reactive.Observer.Create<PortChangeSet>(_ =>
        {
            // A subscriber that marshals synchronously to a thread which is busy disposing it.
            entered.Set();
            sawDisposal = disposed.Wait(TestTimeout);
        });
        var subscription = PortMonitor.Watch(scheduler, new PortMonitorOptions { Interval = Interval, Filter = _ => false }).Subscribe(observer);
        var sampling = Task.Run(() => scheduler.AdvanceTo(1)); // the snapshot's OnNext blocks in there
        Assert.True(entered.Wait(TestTimeout));

        var disposing = Task.Run(() =>
        {
            subscription.Dispose();
            disposed.Set();
        });

        await disposing.WaitAsync(TestTimeout); // it used to wait for the sample's lock, held by the blocked OnNext
        await sampling.WaitAsync(TestTimeout);
        Assert.True(sawDisposal);
    }

    [Fact]
    public void Watch_ObserverOnNextThrows_ItGoesToTheSchedulerNotBackToTheObserver()
    {
        var scheduler = new TestScheduler();
        var errors = 0;
        var calls = 0;
        var observer = System.Reactive.Observer.Create<PortChangeSet>(_ => { calls++; throw new InvalidOperationException("subscriber failed"); }, _ => errors++);
        using var _ = PortMonitor.Watch(scheduler, new PortMonitorOptions { Interval = Interval, Filter = _ => false }).Subscribe(observer);

        var thrown = Assert.Throws<InvalidOperationException>(() => scheduler.AdvanceTo(1));

        Assert.Equal("subscriber failed", thrown.Message);
        Assert.Equal(1, calls);
        Assert.Equal(0, errors);
    }

    [Fact]
    public void Watch_And_Options_RejectBadArguments()
    {
        Assert.Throws<ArgumentNullException>("scheduler", () => PortMonitor.Watch(null!));
        Assert.Throws<ArgumentOutOfRangeException>("Interval", () => new PortMonitorOptions { Interval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>("Retention", () => new PortMonitorOptions { Retention = TimeSpan.FromTicks(-1) });
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), (new PortMonitorOptions().Interval, new PortMonitorOptions().Retention));
    }

    [Fact]
    public void ChangeReason_HasDynamicDataValues()
    {
        // DynamicData: Add = 0, Update = 1, Remove = 2 (Refresh = 3, Moved = 4 have no counterpart here).
        Assert.Equal([0, 1, 2], Enum.GetValues<PortChangeReason>().Select(r => (int)r));
    }

    /// <summary>The one change set sent at <paramref name="tick"/> (and none other at that tick).</summary>
    private static PortChangeSet Single(ITestableObserver<PortChangeSet> observer, long tick)
    {
        var at = observer.Messages.Where(m => m.Time == tick).ToList();
        Assert.True(at.Count == 1, $"expected one change set at tick {tick}; got: {string.Join(", ", observer.Messages.Select(m => $"{m.Time}: {m.Value}"))}");
        Assert.Equal(NotificationKind.OnNext, at[0].Value.Kind);
        return at[0].Value.Value;
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        while (!condition())
        {
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Delay(5);
        }
    }

    private static void Libc_Kill(int pid) => ReactivePorts.Interop.Libc.Kill(pid, ReactivePorts.Interop.Libc.SIGKILL);
}

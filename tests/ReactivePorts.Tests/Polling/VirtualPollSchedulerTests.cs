using System.Reactive.Concurrency;
using System.Reactive.Linq;
using ReactivePorts.Polling;
using ReactivePorts.Testing;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Tests.Polling;

/// <summary>The poll loop's scenarios again, in virtual time: the same loop code over in-memory pipes, driven by a TestScheduler.</summary>
public sealed class VirtualPollSchedulerTests
{
    private readonly TestScheduler _clock = new();
    private readonly PollScheduler _loop;

    public VirtualPollSchedulerTests() => _loop = _clock.CreatePollScheduler();

    [Fact]
    public void Schedule_RelativeTimers_RunAtTheirVirtualTimes_InOrder()
    {
        var log = new List<(long, string)>();
        _loop.Schedule(TimeSpan.FromTicks(300), () => log.Add((_clock.Clock, "c")));
        _loop.Schedule(TimeSpan.FromTicks(100), () => log.Add((_clock.Clock, "a")));
        _loop.Schedule(TimeSpan.FromTicks(200), () => log.Add((_clock.Clock, "b")));
        _loop.Schedule(TimeSpan.FromTicks(100), () => log.Add((_clock.Clock, "a2")));
        _clock.AdvanceTo(1000);
        Assert.Equal([(100L, "a"), (100L, "a2"), (200L, "b"), (300L, "c")], log);
    }

    [Fact]
    public void Schedule_RunsOnTheLoop_WhenTheClockAdvances()
    {
        bool onLoop = false;
        _loop.Schedule(() => onLoop = _loop.IsLoopThread);
        Assert.False(onLoop);
        _clock.AdvanceBy(1);
        Assert.True(onLoop);
        Assert.False(_loop.IsLoopThread);
    }

    [Fact]
    public void Schedule_Canceled_NeverRuns()
    {
        bool ran = false;
        var work = _loop.Schedule(TimeSpan.FromTicks(50), () => ran = true);
        _clock.AdvanceTo(40);
        work.Dispose();
        _clock.AdvanceTo(100);
        Assert.False(ran);
    }

    [Fact]
    public void SchedulePeriodic_TicksEveryPeriod_Exactly()
    {
        var ticks = new List<long>();
        var periodic = _loop.SchedulePeriodic(0, TimeSpan.FromTicks(10), n => { ticks.Add(_clock.Clock); return n + 1; });
        _clock.AdvanceTo(55);
        periodic.Dispose();
        _clock.AdvanceTo(200);
        Assert.Equal([10L, 20, 30, 40, 50], ticks);
    }

    [Fact]
    public void RxInterval_OnVirtualLoop_IsDeterministic()
    {
        var res = _clock.Start(() => Observable.Interval(TimeSpan.FromTicks(100), _loop).Take(3), created: 0, subscribed: 0, disposed: 1000);
        // Subscribed "at 0" runs at 1 (the TestScheduler's rule), so the ticks fall at 101, 201, 301.
        Assert.Equal([101L, 201, 301, 301], res.Messages.Select(m => m.Time));
    }

    [Fact]
    public void WhenReady_PipeWrittenAtVirtualTime_TicksThen_AndNotAgainUntilRearmed()
    {
        var pipe = new VirtualPipe(_loop);
        var ticks = new List<long>();
        Readiness? last = null;
        using var sub = _loop.WhenReady(pipe.Reader, PollEvents.Readable).Subscribe(r => { ticks.Add(_clock.Clock); last = r; });
        _clock.ScheduleAbsolute(500, () => pipe.Write([1, 2, 3]));
        _clock.AdvanceTo(900);
        Assert.Equal([501L], ticks); // written at 500, reported by the iteration at 501
        last!.Rearm(); // from outside the loop: posted, applied by the iteration at 901
        _clock.AdvanceTo(1000);
        Assert.Equal([501L, 902], ticks); // still unread, so ready again on the next iteration
    }

    [Fact]
    public void WhenReady_RearmInsideOnNext_TicksEveryIterationWhileUnread()
    {
        var pipe = new VirtualPipe(_loop);
        int ticks = 0;
        using var sub = _loop.WhenReady(pipe.Reader, PollEvents.Readable).Subscribe(r => { ticks++; r.Rearm(); });
        pipe.Write([1]);
        _clock.AdvanceTo(10);
        Assert.Equal(9, ticks); // selected at 1; level-triggered: one tick per iteration at 2, ..., 10
        Span<byte> buffer = stackalloc byte[1];
        pipe.Read(buffer);
        _clock.AdvanceTo(20);
        Assert.Equal(9, ticks); // drained: no more ticks
    }

    [Fact]
    public void WhenReady_WriterClosed_ReportsHangUp()
    {
        var pipe = new VirtualPipe(_loop);
        PollEvents events = default;
        using var sub = _loop.WhenReady(pipe.Reader, PollEvents.Readable).Subscribe(r => events = r.Events);
        pipe.Writer.Dispose();
        _clock.AdvanceTo(5);
        Assert.Equal(PollEvents.Readable | PollEvents.HangUp, events);
    }

    [Fact]
    public void WhenReady_FullPipe_WritableOnlyAfterARead()
    {
        var pipe = new VirtualPipe(_loop, capacity: 4);
        Assert.Equal(4, pipe.Write([1, 2, 3, 4, 5]));
        Assert.Equal(-ReactivePorts.Interop.Libc.EAGAIN, pipe.Write([6]));
        var writable = new List<long>();
        using var sub = _loop.WhenReady(pipe.Writer, PollEvents.Writable).Subscribe(_ => writable.Add(_clock.Clock));
        _clock.AdvanceTo(100);
        Assert.Empty(writable);
        _clock.ScheduleAbsolute(150, () => pipe.Read(new byte[1]));
        _clock.AdvanceTo(200);
        Assert.Equal([151L], writable);
    }

    [Fact]
    public void Select_HandleDisposedWhileSelected_ClosedOnlyAfterDeselect()
    {
        var pipe = new VirtualPipe(_loop);
        var handler = new RecordingHandler();
        PollRegistration? registration = null;
        _loop.Schedule(() => registration = _loop.Select(pipe.Reader, PollEvents.Readable, handler));
        _clock.AdvanceBy(1);
        pipe.Reader.Dispose(); // deferred: the loop holds a reference
        Assert.Equal(1, pipe.Write([1])); // the read end is still open
        _clock.AdvanceBy(1);
        Assert.Single(handler.Ticks);
        _loop.Schedule(() => registration!.Deselect());
        _clock.AdvanceBy(1);
        Assert.True(handler.Stopped.Task.IsCompleted);
        Assert.Equal(-ReactivePorts.Interop.Libc.EPIPE, pipe.Write([2])); // now it is closed
    }

    [Fact]
    public void Dispatch_DeselectedEarlierInTheSameBatch_IsDropped()
    {
        var a = new VirtualPipe(_loop);
        var b = new VirtualPipe(_loop);
        PollRegistration? ra = null, rb = null;
        int total = 0;
        var ha = new RecordingHandler((_, _) => { total++; rb!.Deselect(); ra!.Deselect(); });
        var hb = new RecordingHandler((_, _) => { total++; ra!.Deselect(); rb!.Deselect(); });
        _loop.Schedule(() =>
        {
            ra = _loop.Select(a.Reader, PollEvents.Readable, ha);
            rb = _loop.Select(b.Reader, PollEvents.Readable, hb);
        });
        a.Write([1]);
        b.Write([1]);
        _clock.AdvanceTo(10);
        Assert.Equal(1, total);
    }

    [Fact]
    public void Select_ReusedDescriptorNumber_OldRegistrationNeverTicks()
    {
        var first = new VirtualPipe(_loop);
        int number = (int)first.Reader.DangerousGetHandle();
        var oldHandler = new RecordingHandler();
        PollRegistration? old = null;
        _loop.Schedule(() => old = _loop.Select(first.Reader, PollEvents.Readable, oldHandler));
        _clock.AdvanceBy(1);
        _loop.Schedule(() => old!.Deselect());
        _clock.AdvanceBy(1);
        first.Reader.Dispose();
        first.Writer.Dispose();
        var second = new VirtualPipe(_loop);
        Assert.Equal(number, (int)second.Reader.DangerousGetHandle());
        var newHandler = new RecordingHandler();
        _loop.Schedule(() => _loop.Select(second.Reader, PollEvents.Readable, newHandler));
        second.Write([1]);
        _clock.AdvanceBy(5);
        Assert.NotEmpty(newHandler.Ticks);
        Assert.Empty(oldHandler.Ticks);
    }

    [Fact]
    public void Select_ThousandPipes_AllTickInBatchesOfMaxEvents()
    {
        var pipes = Enumerable.Range(0, 1000).Select(_ => new VirtualPipe(_loop)).ToArray();
        var at = new List<long>();
        var handler = new RecordingHandler((reg, _) => { at.Add(_clock.Clock); reg.SetInterest(PollEvents.None); });
        _loop.Schedule(() => { foreach (var p in pipes) _loop.Select(p.Reader, PollEvents.Readable, handler); });
        _clock.AdvanceTo(10);
        _clock.ScheduleAbsolute(20, () => { foreach (var p in pipes) p.Write([1]); });
        _clock.AdvanceTo(100);
        Assert.Equal(1000, at.Count);
        // 256 events per wait (the default MaxEventsPerWait): four iterations, starting at 21.
        Assert.Equal([21L, 22, 23, 24], at.Distinct().Order());
        Assert.Equal(256, at.Count(t => t == 21));
    }

    [Fact]
    public void ThrowingCallback_IsReported_LoopCarriesOn()
    {
        var errors = new List<string>();
        using var _ = _loop.Errors.Subscribe(e => errors.Add(e.Message));
        bool after = false;
        _loop.Schedule(TimeSpan.FromTicks(10), () => throw new InvalidOperationException("boom"));
        _loop.Schedule(TimeSpan.FromTicks(20), () => after = true);
        _clock.AdvanceTo(50);
        Assert.Equal(["boom"], errors);
        Assert.True(after);
    }

    [Fact]
    public void Dispose_StopsRegistrations_AndRefusesWork()
    {
        var pipe = new VirtualPipe(_loop);
        var handler = new RecordingHandler();
        _loop.Schedule(() => _loop.Select(pipe.Reader, PollEvents.Readable, handler));
        _clock.AdvanceBy(1);
        _loop.Dispose();
        Assert.True(handler.Stopped.Task.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => _loop.Schedule(() => { }));
    }

    [Fact]
    public void SameScenario_TwiceInVirtualTime_SameTrace()
    {
        static List<string> Run()
        {
            var clock = new TestScheduler();
            var loop = clock.CreatePollScheduler();
            var pipe = new VirtualPipe(loop, capacity: 8);
            var trace = new List<string>();
            loop.WhenReady(pipe.Reader, PollEvents.Readable).Subscribe(r =>
            {
                var buffer = new byte[3];
                int n = pipe.Read(buffer);
                trace.Add($"{clock.Clock}:read {n}");
                r.Rearm();
            });
            loop.SchedulePeriodic(0, TimeSpan.FromTicks(7), i => { trace.Add($"{clock.Clock}:write {pipe.Write([1, 2, 3, 4, 5])}"); return i + 1; });
            clock.AdvanceTo(60);
            return trace;
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.Contains("7:write 5", first);
    }
}

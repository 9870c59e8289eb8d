using System.Reactive.Threading.Tasks;
using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

public sealed class PollSchedulerTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact]
    public async Task Schedule_FromOtherThread_RunsOnLoopThread()
    {
        bool onLoop = await _loop.OnLoop(() => _loop.IsLoopThread && PollScheduler.IsOnAnyLoopThread);
        Assert.True(onLoop);
        Assert.False(_loop.IsLoopThread);
        Assert.False(PollScheduler.IsOnAnyLoopThread);
    }

    [Fact]
    public async Task Schedule_LoopThread_IsNamedBackgroundThread()
    {
        var thread = await _loop.OnLoop(() => Thread.CurrentThread);
        Assert.True(thread.IsBackground);
        Assert.StartsWith("ReactivePorts Poll", thread.Name);
    }

    [Fact]
    public async Task Schedule_RelativeTimers_FireInDueOrder()
    {
        var order = new ConcurrentQueue<int>();
        var done = new TaskCompletionSource();
        // Scheduled from one loop callback, so a preempted test thread cannot reorder the due times
        // (the exact order, at exact times, is checked in virtual time too).
        await _loop.OnLoop(() =>
        {
            _loop.Schedule(TimeSpan.FromMilliseconds(60), () => { order.Enqueue(60); done.SetResult(); });
            _loop.Schedule(TimeSpan.FromMilliseconds(20), () => order.Enqueue(20));
            _loop.Schedule(TimeSpan.FromMilliseconds(40), () => order.Enqueue(40));
            _loop.Schedule(TimeSpan.FromMilliseconds(20), () => order.Enqueue(21)); // same due time: FIFO
        });
        await done.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal([20, 21, 40, 60], order);
    }

    [Fact]
    public async Task Schedule_Timer_NeverRunsEarly()
    {
        var stopwatch = _loop.StartStopwatch();
        var elapsed = new TaskCompletionSource<TimeSpan>();
        _loop.Schedule(TimeSpan.FromMilliseconds(30), () => elapsed.SetResult(stopwatch.Elapsed));
        Assert.True(await elapsed.Task.WaitAsync(LoopTestExtensions.Timeout) >= TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public async Task Schedule_Absolute_RunsAtThatTime()
    {
        var due = _loop.Now + TimeSpan.FromMilliseconds(25);
        var ran = new TaskCompletionSource<DateTimeOffset>();
        _loop.Schedule(due, () => ran.SetResult(_loop.Now));
        Assert.True(await ran.Task.WaitAsync(LoopTestExtensions.Timeout) >= due - TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Schedule_DisposedBeforeDue_DoesNotRun()
    {
        bool canceledRan = false;
        var later = new TaskCompletionSource();
        var canceled = _loop.Schedule(TimeSpan.FromMilliseconds(10), () => canceledRan = true);
        _loop.Schedule(TimeSpan.FromMilliseconds(40), () => later.SetResult());
        canceled.Dispose();
        await later.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.False(canceledRan);
    }

    [Fact]
    public async Task Schedule_Recursive_RunsEachStepOnLoop()
    {
        int steps = 0;
        var done = new TaskCompletionSource();
        _loop.Schedule(0, (n, self) =>
        {
            Assert.True(_loop.IsLoopThread);
            steps++;
            if (n < 99) self(n + 1);
            else done.SetResult();
        });
        await done.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal(100, steps);
    }

    [Fact]
    public async Task SchedulePeriodic_TicksUntilDisposed_WithoutDrift()
    {
        var stopwatch = _loop.StartStopwatch();
        var times = new List<TimeSpan>();
        var fifth = new TaskCompletionSource();
        IDisposable? periodic = null;
        periodic = _loop.SchedulePeriodic(0, TimeSpan.FromMilliseconds(10), n =>
        {
            times.Add(stopwatch.Elapsed);
            if (n == 4) fifth.SetResult();
            return n + 1;
        });
        await fifth.Task.WaitAsync(LoopTestExtensions.Timeout);
        periodic.Dispose();
        int count = await _loop.OnLoop(() => times.Count);
        // Wait on a loop timer that is due after two more periods, had the periodic work stayed armed.
        var later = new TaskCompletionSource();
        _loop.Schedule(TimeSpan.FromMilliseconds(30), () => later.SetResult());
        await later.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal(count, await _loop.OnLoop(() => times.Count));
        // The k-th tick is due at (k+1) periods from the start: never earlier.
        for (int k = 0; k < 5; k++) Assert.True(times[k] >= TimeSpan.FromMilliseconds(10 * (k + 1) - 1), $"tick {k} at {times[k]}");
    }

    [Fact]
    public async Task Schedule_ThrowingAction_IsReportedAndLoopCarriesOn()
    {
        var reported = new TaskCompletionSource<Exception>();
        using var _ = _loop.Errors.Subscribe(ex => reported.TrySetResult(ex));
        _loop.Schedule(() => throw new InvalidOperationException("boom"));
        var error = await reported.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal("boom", error.Message);
        Assert.True(await _loop.OnLoop(() => true));
    }

    [Fact]
    public async Task Schedule_AfterDispose_ThrowsObjectDisposed()
    {
        var loop = new PollScheduler();
        loop.Dispose();
        await loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Throws<ObjectDisposedException>(() => loop.Schedule(() => { }));
        Assert.Throws<ObjectDisposedException>(() => loop.Schedule(TimeSpan.FromSeconds(1), () => { }));
        loop.Dispose(); // twice is fine
    }

    [Fact]
    public async Task Dispose_WhileBusy_DropsQueuedWorkAndStops()
    {
        var loop = new PollScheduler();
        int ran = 0;
        var started = new TaskCompletionSource();
        var release = new ManualResetEventSlim();
        loop.Schedule(() => { started.SetResult(); release.Wait(LoopTestExtensions.Timeout); });
        for (int i = 0; i < 100; i++) loop.Schedule(() => Interlocked.Increment(ref ran));
        await started.Task.WaitAsync(LoopTestExtensions.Timeout);
        loop.Dispose();
        release.Set();
        await loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal(0, Volatile.Read(ref ran));
        Assert.True(loop.LoopThread!.Join(LoopTestExtensions.Timeout));
    }

    [Fact]
    public async Task Dispose_FromLoopThread_Stops()
    {
        var loop = new PollScheduler();
        await loop.OnLoop(loop.Dispose);
        await loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
    }

    [Fact]
    public async Task Stopwatch_Advances()
    {
        var stopwatch = _loop.StartStopwatch();
        var done = new TaskCompletionSource();
        _loop.Schedule(TimeSpan.FromMilliseconds(5), () => done.SetResult());
        await done.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task RxOperators_RunOnLoop()
    {
        var values = await Observable.Interval(TimeSpan.FromMilliseconds(1), _loop).Take(5)
            .Select(v => (v, _loop.IsLoopThread)).ToList().ToTask().WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal([0L, 1, 2, 3, 4], values.Select(v => v.v));
        Assert.All(values, v => Assert.True(v.IsLoopThread));
    }

    [Fact]
    public void Default_IsOneProcessWideLoop_ThatDisposeDoesNotStop()
    {
        Assert.Same(PollScheduler.Default, PollScheduler.Default);
        PollScheduler.Default.Dispose();
        PollScheduler.Default.Schedule(() => { });
    }

    [Fact]
    public void Ctor_NegativeSpin_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PollScheduler(new PollSchedulerOptions { SpinDuration = TimeSpan.FromTicks(-1) }));
}

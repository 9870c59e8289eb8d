using System.Collections.Concurrent;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Async work (Erlang's driver_async): off the loop, by key in order, completions on the loop.</summary>
public sealed class DriverAsyncTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task Async_WithoutKey_RunsOffTheLoopAndCompletesOnIt()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var workOnLoop = DriverTestKit.Source<bool>();
        var completedOnLoop = DriverTestKit.Source<(bool, Exception?)>();

        await driver.RunAsync(port, ctx => ctx.Async(null,
            () => workOnLoop.TrySetResult(port.Scheduler.IsLoopThread),
            error => completedOnLoop.TrySetResult((port.Scheduler.IsLoopThread, error))));

        Assert.False(await workOnLoop.Task.Within());
        Assert.Equal((true, (Exception?)null), await completedOnLoop.Task.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task Async_SameKey_RunsOneAtATimeInOrder()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var order = new ConcurrentQueue<string>();
        var releaseFirst = new ManualResetEventSlim();
        var done = DriverTestKit.Source<bool>();
        var firstBegan = DriverTestKit.Source<bool>();
        int running = 0, overlap = 0;

        void Job(string name, bool wait)
        {
            if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlap);
            order.Enqueue($"{name} begins");
            firstBegan.TrySetResult(true);
            if (wait) releaseFirst.Wait(DriverTestKit.Timeout);
            order.Enqueue($"{name} ends");
            Interlocked.Decrement(ref running);
        }

        await driver.RunAsync(port, ctx =>
        {
            ctx.Async("key", () => Job("a", wait: true));
            ctx.Async("key", () => Job("b", wait: false));
            ctx.Async("key", () => Job("c", wait: false), _ => done.TrySetResult(true));
        });
        await firstBegan.Task.Within();
        await DriverTestKit.AssertPending(_loop, done.Task);
        Assert.Equal(["a begins"], order); // b waits for a, though the pool has idle threads
        releaseFirst.Set();

        await done.Task.Within();
        Assert.Equal(["a begins", "a ends", "b begins", "b ends", "c begins", "c ends"], order);
        Assert.Equal(0, overlap);
    }

    [Fact(Timeout = 15000)]
    public async Task Async_DifferentKeys_RunConcurrently()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        using var bothStarted = new CountdownEvent(2);
        var results = new ConcurrentBag<bool>();
        var done = new CountdownEvent(2);
        var finished = DriverTestKit.Source<bool>();

        // Each job waits for the other to have started: in order, they would never meet.
        void Job() => results.Add(bothStarted.Signal() || bothStarted.Wait(DriverTestKit.Timeout));
        void Completed(Exception? _) { if (done.Signal()) finished.TrySetResult(true); }
        await driver.RunAsync(port, ctx =>
        {
            ctx.Async("left", Job, Completed);
            ctx.Async("right", Job, Completed);
        });

        await finished.Task.Within();
        Assert.Equal([true, true], results);
    }

    [Fact(Timeout = 15000)]
    public async Task Async_WithoutCompletion_CallsOnAsyncCompletedWithKeyAndError()
    {
        var completions = new ConcurrentQueue<(object?, string?, bool)>();
        var both = new CountdownEvent(2);
        var done = DriverTestKit.Source<bool>();
        var driver = new DelegateDriver
        {
            WhenAsyncCompleted = (ctx, key, error) =>
            {
                completions.Enqueue((key, error?.Message, ctx.Scheduler.IsLoopThread));
                if (both.Signal()) done.TrySetResult(true);
            },
        };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx =>
        {
            ctx.Async("job", () => throw new InvalidOperationException("boom"));
            ctx.Async("job", () => { }); // the same key runs on after a job that failed
        });

        await done.Task.Within();
        Assert.Equal([("job", "boom", true), ("job", null, true)], completions);
        Assert.True(port.GetInfo().IsOpen); // a failed job is the driver's news, not the port's end
    }

    [Fact(Timeout = 15000)]
    public async Task Async_CompletionThrows_FailsThePort()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var error = new InvalidOperationException("completion failed");

        await driver.RunAsync(port, ctx => ctx.Async(null, () => { }, _ => throw error));

        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => port.Completion.Within()));
    }

    [Fact(Timeout = 15000)]
    public async Task Async_PortClosedBeforeTheJobEnds_CompletionNeverRuns()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var release = new ManualResetEventSlim();
        var jobEnded = DriverTestKit.Source<bool>();
        bool completed = false;

        await driver.RunAsync(port, ctx => ctx.Async(null, () => { release.Wait(DriverTestKit.Timeout); jobEnded.TrySetResult(true); }, _ => completed = true));
        await port.CloseAsync().Within();
        release.Set();
        await jobEnded.Task.Within();
        // The completion is posted right after the job returns; give it a generous moment to come.
        await _loop.LoopDelay(TimeSpan.FromMilliseconds(100));

        Assert.False(completed);
    }
}

using System.Diagnostics;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>The port's one timer: SetTimer, CancelTimer, re-setting, ReadTimer (Erlang's driver_set_timer family).</summary>
public sealed class DriverTimerTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task SetTimer_Expires_RunsOnTimeoutOnTheLoop()
    {
        var fired = DriverTestKit.Source<bool>();
        var driver = new DelegateDriver { WhenTimeout = ctx => fired.TrySetResult(ctx.Scheduler.IsLoopThread) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var clock = Stopwatch.StartNew();

        await driver.RunAsync(port, ctx => ctx.SetTimer(TimeSpan.FromMilliseconds(50)));

        Assert.True(await fired.Task.Within());
        Assert.True(clock.ElapsedMilliseconds >= 45, $"fired after {clock.ElapsedMilliseconds} ms");
        Assert.Null(await driver.RunAsync(port, ctx => ctx.ReadTimer())); // expired: no timer runs
        Assert.Equal(0, driver.OffLoopCalls);
    }

    [Fact(Timeout = 15000)]
    public async Task CancelTimer_BeforeExpiry_OnTimeoutNeverRuns()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx =>
        {
            ctx.SetTimer(TimeSpan.FromMilliseconds(30));
            ctx.CancelTimer();
        });
        Assert.Null(await driver.RunAsync(port, ctx => ctx.ReadTimer()));
        // A later timer of the loop's own fires after the canceled one was due: the driver's never did.
        await _loop.LoopDelay(TimeSpan.FromMilliseconds(100));

        Assert.DoesNotContain("timeout", driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task SetTimer_WhileRunning_ReplacesTheTimer()
    {
        var fired = DriverTestKit.Source<long>();
        var clock = Stopwatch.StartNew();
        var driver = new DelegateDriver { WhenTimeout = _ => fired.TrySetResult(clock.ElapsedMilliseconds) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx => ctx.SetTimer(TimeSpan.FromMilliseconds(400)));
        await driver.RunAsync(port, ctx => ctx.SetTimer(TimeSpan.FromMilliseconds(30)));

        Assert.True(await fired.Task.Within() < 400); // the new time counts
        await _loop.LoopDelay(TimeSpan.FromMilliseconds(500));
        Assert.Single(driver.Log, "timeout"); // one timer per port: the first never fires
    }

    [Fact(Timeout = 15000)]
    public async Task SetTimer_TwiceInOneCallback_OnlyTheLaterTimeCounts()
    {
        var fired = DriverTestKit.Source<long>();
        var clock = Stopwatch.StartNew();
        var driver = new DelegateDriver { WhenTimeout = _ => fired.TrySetResult(clock.ElapsedMilliseconds) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx =>
        {
            ctx.SetTimer(TimeSpan.FromMilliseconds(10));
            ctx.SetTimer(TimeSpan.FromMilliseconds(200));
        });

        Assert.True(await fired.Task.Within() >= 195);
        await _loop.Barrier();
        Assert.Single(driver.Log, "timeout");
    }

    [Fact(Timeout = 15000)]
    public async Task SetTimer_FromOnTimeout_RearmsTheTimer()
    {
        int count = 0;
        var third = DriverTestKit.Source<bool>();
        var driver = new DelegateDriver
        {
            WhenTimeout = ctx =>
            {
                if (++count < 3) ctx.SetTimer(TimeSpan.FromMilliseconds(5));
                else third.TrySetResult(true);
            },
        };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx => ctx.SetTimer(TimeSpan.Zero));

        await third.Task.Within();
        Assert.Equal(3, count);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadTimer_RunningTimer_ReturnsTimeLeft()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var (before, left) = await driver.RunAsync(port, ctx =>
        {
            var none = ctx.ReadTimer();
            ctx.SetTimer(TimeSpan.FromSeconds(10));
            return (none, ctx.ReadTimer());
        });

        Assert.Null(before);
        Assert.InRange(left!.Value, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 15000)]
    public async Task SetTimer_PortClosedBeforeExpiry_OnTimeoutNeverRuns()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await driver.RunAsync(port, ctx => ctx.SetTimer(TimeSpan.FromMilliseconds(30)));

        await port.CloseAsync().Within();
        await _loop.LoopDelay(TimeSpan.FromMilliseconds(100));

        Assert.Equal(["start", "stop"], driver.Log);
    }
}

using System.Reactive.Linq;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>A driver callback that throws fails its own port only; callbacks run outside the port's locks.</summary>
public sealed class DriverCallbackThrowsTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task OnTimeout_Throws_FailsOnlyItsPort()
    {
        var error = new InvalidOperationException("timeout broke");
        var faulty = new DelegateDriver { WhenTimeout = _ => throw error };
        var healthy = new DelegateDriver { WhenControl = (_, op, data) => [(byte)op, .. data] };
        var bad = await DriverTestKit.OpenAsync(_loop, faulty);
        await using var good = await DriverTestKit.OpenAsync(_loop, healthy);

        await faulty.RunAsync(bad, ctx => ctx.SetTimer(TimeSpan.Zero));

        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => bad.Completion.Within()));
        Assert.Equal([5, 6], await good.ControlAsync(5, new byte[] { 6 }).Within());
        var fired = DriverTestKit.Source<bool>();
        await healthy.RunAsync(good, ctx => ctx.Async(null, () => { }, _ => fired.TrySetResult(true)));
        await fired.Task.Within();
        Assert.True(good.GetInfo().IsOpen);
        Assert.Equal(["start", "timeout", "stop"], faulty.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task OnInput_Throws_FailsThePortWithThatException()
    {
        var error = new FormatException("bad command");
        var driver = new DelegateDriver { WhenInput = (_, _) => throw error };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var failed = DriverTestKit.Source<Exception>();
        port.Output.Subscribe(_ => { }, ex => failed.TrySetResult(ex));

        await port.WriteAsync(new byte[] { 1 });

        Assert.Same(error, await failed.Task.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task OnStart_Throws_OpenAsyncThrowsIt()
    {
        var error = new InvalidOperationException("no device");
        var driver = new DelegateDriver { WhenStart = _ => throw error };

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => DriverTestKit.OpenAsync(_loop, driver));

        Assert.Same(error, thrown);
        Assert.Equal(["start", "stop"], driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task OnStop_Throws_ReportedOnTheSchedulerAndThePortStillCloses()
    {
        var error = new InvalidOperationException("stop broke");
        var driver = new DelegateDriver { WhenStop = _ => throw error };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var reported = DriverTestKit.Source<Exception>();
        using var _ = _loop.Errors.Subscribe(ex => reported.TrySetResult(ex));

        await port.CloseAsync().Within();

        Assert.Same(error, await reported.Task.Within());
        await port.Completion.Within(); // a normal close: the stop failure is reported, not the port's end
    }

    [Fact(Timeout = 15000)]
    public async Task OnInput_WritesToTheSamePortFromAnotherThread_CalledAfterLockReleased()
    {
        // STYLE 13: the driver's callback writes to its own port from another thread and waits for
        // that write; under one of the port's locks the other thread could not get in.
        Port? self = null;
        var accepted = new List<bool>();
        var driver = new DelegateDriver
        {
            WhenInput = (ctx, data) =>
            {
                if (data.Span[0] != 1) return;
                var write = Task.Run(() => self!.TryWrite([2]));
                accepted.Add(write.Wait(DriverTestKit.Timeout) && write.Result);
            },
            WhenControl = (ctx, _, _) =>
            {
                var write = Task.Run(() => self!.TryWrite([3]));
                accepted.Add(write.Wait(DriverTestKit.Timeout) && write.Result);
                return [];
            },
        };
        await using var port = self = await DriverTestKit.OpenAsync(_loop, driver);

        await port.WriteAsync(new byte[] { 1 });
        await port.ControlAsync(1, ReadOnlyMemory<byte>.Empty).Within();
        await driver.RunAsync(port, _ => { });
        await _loop.Barrier();

        Assert.Equal([true, true], accepted);
        // All three bytes reached the driver (the two written from inside callbacks maybe in one drain).
        Assert.Equal(3, driver.Log.Where(e => e.StartsWith("input:")).Sum(e => int.Parse(e["input:".Length..])));
    }
}

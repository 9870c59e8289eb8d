using System.Reactive.Linq;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>SetBusy (Erlang's set_busy_port): writers held back while busy, released in order when it clears.</summary>
public sealed class DriverBusyTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private static DelegateDriver Recording(List<string> inputs) => new()
    {
        WhenInput = (_, data) => { lock (inputs) inputs.Add(System.Text.Encoding.ASCII.GetString(data.Span)); },
    };

    [Fact(Timeout = 15000)]
    public async Task SetBusy_True_HoldsWriteAsyncUntilSetBusyFalse()
    {
        var inputs = new List<string>();
        var driver = Recording(inputs);
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var busyStates = new List<bool>();
        using var _ = port.Busy.Subscribe(b => { lock (busyStates) busyStates.Add(b); });

        await driver.RunAsync(port, ctx => ctx.SetBusy(true));
        Assert.True(port.GetInfo().IsBusy);
        var first = port.WriteAsync("one"u8.ToArray()).AsTask();
        var second = port.WriteAsync("two"u8.ToArray()).AsTask();
        Assert.False(port.TryWrite("nosuspend"u8));
        await DriverTestKit.AssertPending(_loop, first);
        Assert.False(second.IsCompleted);

        await driver.RunAsync(port, ctx => ctx.SetBusy(false));
        await Task.WhenAll(first, second).Within();
        await driver.RunAsync(port, _ => { }); // the drain runs on the loop before this

        lock (inputs) Assert.Equal("onetwo", string.Concat(inputs)); // in the order written
        Assert.False(port.GetInfo().IsBusy);
        await _loop.Barrier();
        lock (busyStates) Assert.Equal([false, true, false], busyStates);
    }

    [Fact(Timeout = 15000)]
    public async Task WriteForced_WhileBusy_ReachesTheDriver()
    {
        var inputs = new List<string>();
        var driver = Recording(inputs);
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        await driver.RunAsync(port, ctx => ctx.SetBusy(true));

        port.WriteForced("forced"u8);
        await driver.RunAsync(port, _ => { });

        lock (inputs) Assert.Equal(["forced"], inputs);
        Assert.True(port.GetInfo().IsBusy); // the driver's flag holds, whatever the queue
    }

    [Fact(Timeout = 15000)]
    public async Task SetBusy_PortClosedWhileWritersWait_FailsThemWithObjectDisposed()
    {
        var driver = Recording([]);
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await driver.RunAsync(port, ctx => ctx.SetBusy(true));
        var waiting = port.WriteAsync("late"u8.ToArray()).AsTask();
        await DriverTestKit.AssertPending(_loop, waiting);

        await driver.RunAsync(port, ctx => ctx.Fail(new InvalidOperationException("gone")));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task SetBusy_True_ChannelWriterWaitsUntilReady()
    {
        var driver = Recording([]);
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        await driver.RunAsync(port, ctx => ctx.SetBusy(true));

        var ready = port.Writer.WaitToWriteAsync().AsTask();
        await DriverTestKit.AssertPending(_loop, ready);
        await driver.RunAsync(port, ctx => ctx.SetBusy(false));

        Assert.True(await ready.Within());
    }
}

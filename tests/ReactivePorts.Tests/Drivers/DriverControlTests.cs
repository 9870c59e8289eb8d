using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Control and Call (Erlang's port_control, port_call): known and unknown operations, errors go to the caller.</summary>
public sealed class DriverControlTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    /// <summary>Control 1 echoes, control 2 throws ArgumentException; call 7 reverses.</summary>
    private static DelegateDriver Driver() => new()
    {
        WhenControl = (ctx, op, data) => op switch
        {
            1 => [.. data, ctx.Scheduler.IsLoopThread ? (byte)1 : (byte)0],
            2 => throw new ArgumentException("bad argument"),
            _ => throw new NotSupportedException($"no control {op}"),
        },
        WhenCall = (_, command, data) => command == 7 ? [.. data.Reverse()] : throw new NotSupportedException($"no call {command}"),
    };

    [Fact(Timeout = 15000)]
    public async Task Control_KnownOperation_ReturnsTheReplyComputedOnTheLoop()
    {
        await using var port = await DriverTestKit.OpenAsync(_loop, Driver());

        Assert.Equal([9, 1], port.Control(1, [9]));
        Assert.Equal([8, 1], await port.ControlAsync(1, new byte[] { 8 }).Within());
        Assert.Equal([3, 2, 1], port.Call(7, [1, 2, 3]));
    }

    [Fact(Timeout = 15000)]
    public async Task Control_UnknownOperation_ThrowsNotSupportedAndThePortStaysOpen()
    {
        var driver = Driver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        Assert.Throws<NotSupportedException>(() => port.Control(99, []));
        await Assert.ThrowsAsync<NotSupportedException>(() => port.ControlAsync(99, ReadOnlyMemory<byte>.Empty).Within());
        Assert.Throws<NotSupportedException>(() => port.Call(99, []));

        Assert.True(port.GetInfo().IsOpen);
        Assert.False(port.Completion.IsCompleted);
        Assert.Equal([1], port.Control(1, []));
    }

    [Fact(Timeout = 15000)]
    public async Task Control_DefaultDriver_ThrowsNotSupportedNamingTheDriver()
    {
        var driver = new DelegateDriver { DriverName = "plain" };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var control = Assert.Throws<NotSupportedException>(() => port.Control(3, []));
        var call = Assert.Throws<NotSupportedException>(() => port.Call(4, []));

        Assert.Contains("'plain'", control.Message);
        Assert.Contains("'plain'", call.Message);
        Assert.True(port.GetInfo().IsOpen);
    }

    [Fact(Timeout = 15000)]
    public async Task Control_DriverThrows_TheCallerGetsItAndThePortStaysOpen()
    {
        await using var port = await DriverTestKit.OpenAsync(_loop, Driver());

        var error = Assert.Throws<ArgumentException>(() => port.Control(2, []));

        Assert.Equal("bad argument", error.Message);
        Assert.True(port.GetInfo().IsOpen);
        Assert.Equal([1], await port.ControlAsync(1, ReadOnlyMemory<byte>.Empty).Within());
    }

    [Fact(Timeout = 15000)]
    public async Task Control_AfterTheDriverFailed_ThrowsObjectDisposed()
    {
        var driver = Driver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        await driver.RunAsync(port, ctx => ctx.Fail(new InvalidOperationException("failed")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => port.Completion.Within());

        Assert.Throws<ObjectDisposedException>(() => port.Control(1, []));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => port.ControlAsync(1, ReadOnlyMemory<byte>.Empty).Within());
    }
}

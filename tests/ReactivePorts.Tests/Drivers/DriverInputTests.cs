using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>A driver that takes no input (no OnInput) gives a port without input: writes fail at the call, as Erlang's port_command to such a driver.</summary>
public sealed class DriverInputTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private sealed class OutputOnlyDriver : PortDriver
    {
        public override string Name => "output-only";
    }

    private sealed class EchoingDriver : PortDriver
    {
        public override string Name => "echoing";

        protected override void OnInput(ReadOnlyMemory<byte> data) => Context.DeliverPacket(data.Span);
    }

    [Fact(Timeout = 15000)]
    public async Task Write_DriverWithoutOnInput_RefusedAtTheCall_PortStaysOpen()
    {
        await using var port = await Port.Driver(() => new OutputOnlyDriver()).WithScheduler(_loop).OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var error = Assert.Throws<InvalidOperationException>(() => port.TryWrite("x"u8));
        Assert.Contains("output-only", error.Message);
        Assert.Throws<InvalidOperationException>(() => port.WriteAsync("x"u8.ToArray()));
        Assert.Throws<InvalidOperationException>(() => port.WriteForced("x"u8));
        Assert.True(port.IsOpen);
    }

    [Fact(Timeout = 15000)]
    public async Task Write_DriverWithOnInput_Accepted()
    {
        await using var port = await Port.Driver(() => new EchoingDriver()).WithScheduler(_loop).OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = port.Output.Subscribe(p => first.TrySetResult(System.Text.Encoding.ASCII.GetString(p.Payload.Span)));
        Assert.True(port.TryWrite("hi"u8));
        Assert.Equal("hi", await first.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

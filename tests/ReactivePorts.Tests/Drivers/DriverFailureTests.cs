using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Fail, FailErrno, FailEof (Erlang's driver_failure family) and what subscribers and Completion see.</summary>
public sealed class DriverFailureTests : IDisposable
{
    private const int EPIPE = 32;
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task Fail_WithException_SubscriberGetsOnErrorWithIt()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var recorder = new PortRecorder(port);
        var reason = new InvalidDataException("the device went away");

        await driver.RunAsync(port, ctx => ctx.Fail(reason));

        await recorder.Completed.Within();
        Assert.Same(reason, recorder.Error);
        Assert.Same(reason, await Assert.ThrowsAsync<InvalidDataException>(() => port.Completion.Within()));
        Assert.Equal([$"Closed({reason.Message})"], recorder.Kinds);
        Assert.Equal(["start", "stop"], driver.Log);
        Assert.False(port.GetInfo().IsOpen);
    }

    [Fact(Timeout = 15000)]
    public async Task FailErrno_Epipe_SubscriberGetsIOExceptionNamingTheErrno()
    {
        var driver = new DelegateDriver { DriverName = "errno-driver" };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var recorder = new PortRecorder(port);

        await driver.RunAsync(port, ctx => ctx.FailErrno(EPIPE));

        await recorder.Completed.Within();
        var error = Assert.IsType<IOException>(recorder.Error);
        Assert.Contains("EPIPE", error.Message);
        Assert.Contains("errno-driver", error.Message);
        Assert.Equal(EPIPE, error.HResult);
        await Assert.ThrowsAsync<IOException>(() => port.Completion.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task FailEof_AfterData_DeliversDataThenEofThenCompletes()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.Spec(_loop, driver).WithFraming(FrameFormat.Line()).OpenAsync().Within();
        var recorder = new PortRecorder(port);

        await driver.RunAsync(port, ctx =>
        {
            ctx.DeliverData("whole\nunterminated"u8.ToArray(), ChunkOwnership.Borrowed);
            ctx.FailEof();
        });

        await recorder.Completed.Within();
        Assert.Null(recorder.Error);
        Assert.Equal(["whole", "unterminated"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
        Assert.Equal(["Closed"], recorder.Kinds); // no eof event outside eof mode (Erlang's)
        await port.Completion.Within();
    }

    [Fact(Timeout = 15000)]
    public async Task FailEof_InEofMode_DeliversEofAndKeepsThePortOpen()
    {
        // Erlang: driver_failure_eof closes the port "unless the port was opened with option eof, in
        // which case eof is sent to the port".
        var driver = new DelegateDriver { WhenInput = (_, _) => { } };
        var port = await DriverTestKit.Spec(_loop, driver).WithEofMode().OpenAsync().Within();
        var recorder = new PortRecorder(port);

        await driver.RunAsync(port, ctx => ctx.FailEof());
        await recorder.Eof.Within();
        await _loop.Barrier();

        Assert.False(recorder.IsCompleted);
        Assert.True(port.GetInfo().IsOpen);
        await port.CloseAsync().Within();
        await recorder.Completed.Within();
    }

    [Fact(Timeout = 15000)]
    public async Task Completion_Closed_CompletesAndFailLaterChangesNothing()
    {
        var driver = new DelegateDriver();
        var port = await DriverTestKit.OpenAsync(_loop, driver);

        Assert.Equal(0, await port.CloseAsync().Within());
        await port.Completion.Within();

        Assert.True(port.Completion.IsCompletedSuccessfully);
        Assert.Equal(["start", "stop"], driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task Fail_FromOnInput_FailsTheWriterNextWriteAndCompletion()
    {
        var reason = new InvalidOperationException("refused");
        var driver = new DelegateDriver { WhenInput = (ctx, _) => ctx.Fail(reason) };
        var port = await DriverTestKit.OpenAsync(_loop, driver);

        await port.WriteAsync(new byte[] { 1 });

        Assert.Same(reason, await Assert.ThrowsAsync<InvalidOperationException>(() => port.Completion.Within()));
        Assert.Throws<ObjectDisposedException>(() => port.TryWrite([2]));
    }
}

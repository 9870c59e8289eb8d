using System.Text;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>A start that completes later (Erlang's ERL_DRV_FLAG_USE_INIT_ACK and erl_drv_init_ack), and one that fails.</summary>
public sealed class DriverStartAckTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    /// <summary>A driver whose start finishes in async work that waits for <paramref name="go"/>, then acknowledges or fails.</summary>
    private static DelegateDriver SlowStart(ManualResetEventSlim go, List<string> inputs, Exception? failWith = null) => new()
    {
        AcknowledgesLater = true,
        WhenStart = ctx => ctx.Async(null, () => go.Wait(DriverTestKit.Timeout), _ =>
        {
            if (failWith is null) ctx.AcknowledgeStart();
            else ctx.Fail(failWith);
        }),
        WhenInput = (_, data) => { lock (inputs) inputs.Add(Encoding.ASCII.GetString(data.Span)); },
    };

    [Fact(Timeout = 15000)]
    public async Task AcknowledgeStart_Later_WritesMadeBeforeReachOnInputOnlyAfterIt()
    {
        using var go = new ManualResetEventSlim();
        var inputs = new List<string>();
        var opening = DriverTestKit.Spec(_loop, SlowStart(go, inputs)).OpenAsync();
        await DriverTestKit.AssertPending(_loop, opening);

        // OpenAsync waits; the port itself is there (Open) and takes writes meanwhile.
        await using var port = DriverTestKit.Spec(_loop, SlowStart(go, inputs)).Open();
        await port.WriteAsync("early "u8.ToArray());
        await port.WriteAsync("writes"u8.ToArray());
        await DriverTestKit.AssertPending(_loop, port.Started);
        lock (inputs) Assert.Empty(inputs);

        go.Set();
        await port.Started.Within();
        await using var opened = await opening.Within();
        await _loop.Barrier();

        lock (inputs) Assert.Equal("early writes", string.Concat(inputs));
    }

    [Fact(Timeout = 15000)]
    public async Task AcknowledgeStart_Twice_SecondCallDoesNothing()
    {
        var driver = new DelegateDriver { AcknowledgesLater = true, WhenStart = ctx => ctx.AcknowledgeStart() };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx => ctx.AcknowledgeStart());

        Assert.True(port.Started.IsCompletedSuccessfully);
        Assert.True(port.GetInfo().IsOpen);
    }

    [Fact(Timeout = 15000)]
    public async Task Fail_BeforeAcknowledgement_OpenAsyncThrowsAndStartedFaults()
    {
        using var go = new ManualResetEventSlim();
        var error = new TimeoutException("handshake failed");
        var spec = DriverTestKit.Spec(_loop, SlowStart(go, [], error));
        var port = spec.Open(); // one port per driver instance: OpenAsync is Open, then awaiting Started
        var pendingWrite = port.WriteAsync("never"u8.ToArray()).AsTask();

        go.Set();

        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => port.Started.Within()));
        Assert.Same(error, await Assert.ThrowsAsync<TimeoutException>(() => port.Completion.Within()));
        await pendingWrite.Within(); // accepted before the failure: its bytes go nowhere
        Assert.False(port.GetInfo().IsOpen);
    }

    [Fact(Timeout = 15000)]
    public async Task Started_WithoutAcknowledgementFlag_CompletesRightAfterOnStart()
    {
        var driver = new DelegateDriver();

        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        Assert.True(port.Started.IsCompletedSuccessfully);
        Assert.Equal(["start"], driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_BeforeAcknowledgement_StartedFaultsWithObjectDisposed()
    {
        var driver = new DelegateDriver { AcknowledgesLater = true };
        var port = DriverTestKit.Spec(_loop, driver).Open();

        await port.CloseAsync().Within();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => port.Started.Within());
        await port.Completion.Within();
        Assert.Equal(["start", "stop"], driver.Log);
    }
}

using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Ports;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Drivers;

/// <summary>ConsumeTimeslice (Erlang's erl_drv_consume_timeslice): a callback says how much of its slice it used.</summary>
public sealed class DriverTimesliceTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task ConsumeTimeslice_WithinOneCallback_TrueOnceTheSliceIsUsed()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var answers = await driver.RunAsync(port, ctx =>
            new[] { ctx.ConsumeTimeslice(30), ctx.ConsumeTimeslice(30), ctx.ConsumeTimeslice(39), ctx.ConsumeTimeslice(1) });

        Assert.Equal([false, false, false, true], answers);
    }

    [Fact(Timeout = 15000)]
    public async Task ConsumeTimeslice_OutOfRange_CountsAsOneToHundredPercent()
    {
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        var (belowRange, last) = await driver.RunAsync(port, ctx =>
        {
            bool any = false;
            for (int i = 0; i < 98; i++) any |= ctx.ConsumeTimeslice(0); // 1 % each
            any |= ctx.ConsumeTimeslice(-1000);                          // 1 %, not minus
            return (any, ctx.ConsumeTimeslice(0));                        // the 100th percent
        });
        var huge = await driver.RunAsync(port, ctx => ctx.ConsumeTimeslice(500));

        Assert.Equal((false, true), (belowRange, last));
        Assert.True(huge);
    }

    [Fact(Timeout = 15000)]
    public async Task ConsumeTimeslice_NextCallback_StartsAFreshSlice()
    {
        // Erlang: the hint counts "since the start of the callback"; a new callback has its whole slice.
        var driver = new DelegateDriver();
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        Assert.True(await driver.RunAsync(port, ctx => ctx.ConsumeTimeslice(100)));

        Assert.False(await driver.RunAsync(port, ctx => ctx.ConsumeTimeslice(1)));
    }

    [Fact(Timeout = 15000)]
    public async Task ConsumeTimeslice_ReadableDriverYields_ContinuesOnTheNextReadiness()
    {
        // A driver that reads one byte per quarter slice: it returns when the slice is used, and the
        // pipe, still readable, calls it again with a fresh slice until everything is read.
        using var pipe = new PipeEnds();
        int readableCalls = 0;
        var driver = new DelegateDriver
        {
            WhenStart = ctx => ctx.Select(pipe.Read, PollEvents.Readable),
            WhenReadable = (ctx, handle) =>
            {
                readableCalls++;
                var one = new byte[1];
                do
                {
                    var result = ctx.IO.Read(handle, one);
                    if (result.Status == IOStatus.EndOfStream) { ctx.Deselect(handle); ctx.DeliverEof(); return; }
                    if (result.Status != IOStatus.Done) return;
                    ctx.DeliverData(one, ChunkOwnership.Borrowed);
                }
                while (!ctx.ConsumeTimeslice(25));
            },
            WhenStopSelect = (_, _) => { },
        };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var recorder = new PortRecorder(port);

        Fds.WriteAll(pipe.Write, "0123456789abcdef"u8, 5000);
        pipe.Write.Dispose();

        await recorder.Completed.Within();
        Assert.Equal("0123456789abcdef", recorder.Text);
        Assert.True(readableCalls >= 4, $"{readableCalls} readiness callbacks");
    }
}

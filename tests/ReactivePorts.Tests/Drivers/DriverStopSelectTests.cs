using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Select, Deselect and stop-select (Erlang's driver_select with ERL_DRV_USE): a handle is closed only once deselected.</summary>
public sealed class DriverStopSelectTests : IDisposable
{
    private const int EPIPE = 32;
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    /// <summary>Whether the pipe's read end is still open, seen from the write end (EPIPE once it is closed).</summary>
    private static bool ReaderOpen(PipeEnds pipe) => Libc.Write(pipe.Write.Fd, [0]) != -EPIPE;

    [Fact(Timeout = 15000)]
    public async Task Deselect_SelectedHandle_StopSelectRunsOnTheLoopAndClosesIt()
    {
        using var pipe = new PipeEnds();
        var stopped = DriverTestKit.Source<(SafeHandle, bool)>();
        var driver = new DelegateDriver
        {
            WhenStart = ctx => ctx.Select(pipe.Read, PollEvents.Readable),
            WhenStopSelect = (ctx, handle) => { stopped.TrySetResult((handle, ctx.Scheduler.IsLoopThread)); handle.Dispose(); },
        };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        Assert.True(ReaderOpen(pipe));

        await driver.RunAsync(port, ctx => ctx.Deselect(pipe.Read));

        var (handle, onLoop) = await stopped.Task.Within();
        Assert.Same(pipe.Read, handle);
        Assert.True(onLoop);
        Assert.False(ReaderOpen(pipe));
    }

    [Fact(Timeout = 15000)]
    public async Task Select_HandleDisposedWhileSelected_StaysOpenUntilDeselected()
    {
        using var pipe = new PipeEnds();
        var driver = new DelegateDriver { WhenStart = ctx => ctx.Select(pipe.Read, PollEvents.Readable) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        pipe.Read.Dispose(); // someone closes it while the loop may still report it: the port's reference holds
        await _loop.Barrier();
        Assert.True(ReaderOpen(pipe));
        Assert.DoesNotContain("stop-select", driver.Log);

        await driver.RunAsync(port, ctx => ctx.Deselect(pipe.Read));

        Assert.False(ReaderOpen(pipe));
        Assert.Equal(["start", "stop-select"], driver.Log);
    }

    [Fact(Timeout = 15000)]
    public async Task CloseAsync_HandlesStillSelected_StopSelectRunsForEachAfterOnStop()
    {
        using var first = new PipeEnds();
        using var second = new PipeEnds();
        var driver = new DelegateDriver
        {
            WhenStart = ctx =>
            {
                ctx.Select(first.Read, PollEvents.Readable);
                ctx.Select(second.Write, PollEvents.None); // selected, not armed
            },
        };
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        Assert.True(ReaderOpen(first));

        await port.CloseAsync().Within();

        Assert.Equal(["start", "stop", "stop-select", "stop-select"], driver.Log);
        Assert.False(ReaderOpen(first));
        Assert.True(second.Write.IsClosed);
    }

    [Fact(Timeout = 15000)]
    public async Task Select_AfterThePortClosed_HandsTheHandleStraightToStopSelect()
    {
        using var pipe = new PipeEnds();
        var driver = new DelegateDriver { WhenStop = ctx => ctx.Select(pipe.Read, PollEvents.Readable) };
        var port = await DriverTestKit.OpenAsync(_loop, driver);

        await port.CloseAsync().Within();

        Assert.Equal(["start", "stop", "stop-select"], driver.Log);
        Assert.True(pipe.Read.IsClosed);
    }

    [Fact(Timeout = 15000)]
    public async Task Deselect_InsideOnReadable_NoWritableCallbackFollowsForThatHandle()
    {
        var (left, right) = DriverTestKit.SocketPair();
        using var _ = left;
        using var __ = right;
        left.Blocking = false;
        right.Send([1]); // readable and writable at once when selected
        var stopped = DriverTestKit.Source<bool>();
        var driver = new DelegateDriver
        {
            WhenReadable = (ctx, handle) => ctx.Deselect(handle),
            WhenStopSelect = (_, _) => stopped.TrySetResult(true), // the socket is not the driver's to close
        };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        using var reading = port.Output.Subscribe(_ => { });

        await driver.RunAsync(port, ctx => ctx.Select(left.SafeHandle, PollEvents.Readable | PollEvents.Writable));

        await stopped.Task.Within();
        await _loop.Barrier();
        Assert.Equal(["start", "readable", "stop-select"], driver.Log);
        Assert.False(left.SafeHandle.IsClosed);
        Assert.Equal(1, left.Available);
    }
}

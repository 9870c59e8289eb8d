using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Drivers;

/// <summary>EnableDirectWrites / DisableDirectWrites: writers on other threads write straight to the descriptor while the port is idle.</summary>
public sealed class DriverDirectWritesTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed)).ToArray();

    [Fact(Timeout = 15000)]
    public async Task EnableDirectWrites_LargeWriteFromAnotherThread_ReachesTheFdWithoutOnInput()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write) { DirectOutput = true };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var payload = Pattern(8192, 1);

        await Task.Run(() => port.WriteAsync(payload).AsTask()).Within();

        Assert.Equal(payload, Fds.ReadExactly(pipe.Read, payload.Length, 5000));
        await _loop.Barrier();
        Assert.Equal(0, driver.InputCalls);
        Assert.Equal(payload.Length, port.GetInfo().BytesWritten);
    }

    [Fact(Timeout = 15000)]
    public async Task DisableDirectWrites_NextWrite_GoesThroughOnInput()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write) { DirectOutput = true };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        await _loop.OnLoop(() => driver.Handle.DisableDirectWrites());
        var payload = Pattern(8192, 2);

        await Task.Run(() => port.WriteAsync(payload).AsTask()).Within();

        Assert.Equal(payload, Fds.ReadExactly(pipe.Read, payload.Length, 5000));
        Assert.Equal(1, driver.InputCalls);
    }

    [Fact(Timeout = 15000)]
    public async Task EnableDirectWrites_PipeFillsMidWrite_TheRestFollowsThroughTheLoopInOrder()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write) { DirectOutput = true };
        await using var port = await DriverTestKit.Spec(_loop, driver).WithoutBusyMarks().OpenAsync().Within();
        var first = Pattern(100 * 1024, 3);  // more than the pipe takes: the rest goes to OnInput
        var second = Pattern(10 * 1024, 4);

        await Task.Run(async () =>
        {
            await port.WriteAsync(first);
            await port.WriteAsync(second);
        }).Within();
        var read = await Task.Run(() => Fds.ReadExactly(pipe.Read, first.Length + second.Length, 5000)).Within();

        Assert.Equal([.. first, .. second], read);
        Assert.True(driver.InputCalls >= 1);
    }

    [Fact(Timeout = 15000)]
    public async Task EnableDirectWrites_WriteFromTheLoopThread_GoesThroughOnInput()
    {
        using var pipe = new PipeEnds();
        var driver = new PipeDriver(null, pipe.Write) { DirectOutput = true };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        var payload = Pattern(8192, 5);

        await _loop.OnLoop(() => port.WriteForced(payload)); // the loop never writes in a caller's place

        Assert.Equal(payload, await Task.Run(() => Fds.ReadExactly(pipe.Read, payload.Length, 5000)).Within());
        Assert.Equal(1, driver.InputCalls);
    }
}

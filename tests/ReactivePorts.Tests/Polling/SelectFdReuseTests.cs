using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

/// <summary>
/// Reuse of a descriptor number. The test relies on the kernel handing out the number just closed,
/// which only holds while no other test opens or closes descriptors meanwhile: it runs alone.
/// </summary>
[Collection(nameof(NotInParallel))]
public sealed class SelectFdReuseTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact]
    public async Task Select_ReusedFdNumber_OldRegistrationNeverTicks()
    {
        var first = Libc.EventFd();
        int number = first.Fd;
        var oldHandler = new RecordingHandler();
        var oldRegistration = await _loop.OnLoop(() => _loop.Select(first, PollEvents.Readable, oldHandler));
        await _loop.OnLoop(oldRegistration.Deselect);
        first.Dispose();
        using var second = Libc.EventFd(); // the lowest free number: the one just closed
        Assert.Equal(number, second.Fd);
        var newHandler = new RecordingHandler();
        await _loop.OnLoop(() => _loop.Select(second, PollEvents.Readable, newHandler));
        Libc.EventFdSignal(second.Fd);
        await newHandler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Empty(oldHandler.Ticks);
    }
}

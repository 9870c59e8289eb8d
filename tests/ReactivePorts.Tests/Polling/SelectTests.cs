using System.Reactive.Threading.Tasks;
using System.IO.Pipes;
using System.Reactive.Linq;
using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

/// <summary>Readiness and selection on real descriptors: eventfds and pipes.</summary>
/// <remarks>
/// Run alone: several tests reason about descriptor numbers (closed, reused), which other tests
/// opening processes and pipes in parallel would take meanwhile. They take milliseconds.
/// </remarks>
[Collection(nameof(NotInParallel))]
public sealed class SelectTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    private static bool FdIsOpen(int fd) => File.Exists($"/proc/self/fd/{fd}");

    [Fact]
    public async Task WhenReady_PipeBecomesReadable_TicksOnLoopThread()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var tick = new TaskCompletionSource<(PollEvents, bool)>();
        using var sub = _loop.WhenReady(client.SafePipeHandle, PollEvents.Readable)
            .Subscribe(r => tick.TrySetResult((r.Events, _loop.IsLoopThread)));
        await _loop.Barrier();
        Assert.False(tick.Task.IsCompleted);
        server.Write([1, 2, 3]);
        var (events, onLoop) = await tick.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.True(events.HasFlag(PollEvents.Readable));
        Assert.True(onLoop);
    }

    [Fact]
    public async Task WhenReady_NotRearmed_TicksOnce_ThenAgainAfterRearm()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        int ticks = 0;
        Readiness? last = null;
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        using var sub = _loop.WhenReady(client.SafePipeHandle, PollEvents.Readable).Subscribe(r =>
        {
            last = r;
            if (++ticks == 1) first.SetResult(); else second.TrySetResult();
        });
        server.Write([1]);
        await first.Task.WaitAsync(LoopTestExtensions.Timeout);
        // Level-triggered and still unread: an armed descriptor would tick on every iteration.
        await _loop.Barrier();
        await _loop.Barrier();
        Assert.Equal(1, await _loop.OnLoop(() => ticks));
        last!.Rearm(); // from a test thread: posted to the loop
        await second.Task.WaitAsync(LoopTestExtensions.Timeout);
    }

    [Fact]
    public async Task WhenReady_RearmInsideOnNext_KeepsTicking()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var third = new TaskCompletionSource();
        int ticks = 0;
        using var sub = _loop.WhenReady(client.SafePipeHandle, PollEvents.Readable).Subscribe(r =>
        {
            if (++ticks == 3) third.SetResult();
            r.Rearm();
        });
        server.Write([1]);
        await third.Task.WaitAsync(LoopTestExtensions.Timeout);
    }

    [Fact]
    public async Task WhenReady_Writable_TicksForEmptyPipe()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var events = await _loop.WhenReady(server.SafePipeHandle, PollEvents.Writable).FirstAsync().ToTask().WaitAsync(LoopTestExtensions.Timeout);
        Assert.True(events.Events.HasFlag(PollEvents.Writable));
    }

    [Fact]
    public async Task WhenReady_WriterClosed_ReportsHangUpAsReadable()
    {
        var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        server.Dispose();
        var r = await _loop.WhenReady(client.SafePipeHandle, PollEvents.Readable).FirstAsync().ToTask().WaitAsync(LoopTestExtensions.Timeout);
        Assert.Equal(PollEvents.Readable | PollEvents.HangUp, r.Events);
    }

    [Fact]
    public async Task WhenReady_RegularFile_FailsWithEperm()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path);
            var error = await Assert.ThrowsAsync<IOException>(() =>
                _loop.WhenReady(file, PollEvents.Readable).FirstAsync().ToTask().WaitAsync(LoopTestExtensions.Timeout));
            Assert.Contains("EPERM", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WhenReady_LoopDisposed_Completes()
    {
        var loop = new PollScheduler();
        using var efd = Libc.EventFd();
        var completed = new TaskCompletionSource();
        using var sub = loop.WhenReady(efd, PollEvents.Readable).Subscribe(_ => { }, () => completed.SetResult());
        await loop.Barrier();
        loop.Dispose();
        await completed.Task.WaitAsync(LoopTestExtensions.Timeout);
    }

    [Fact]
    public void WhenReady_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => _loop.WhenReady(null!, PollEvents.Readable));
        using var efd = Libc.EventFd();
        Assert.Throws<ArgumentException>(() => _loop.WhenReady(efd, PollEvents.HangUp));
    }

    [Fact]
    public async Task Select_HandleDisposedWhileSelected_FdClosedOnlyAfterDeselect()
    {
        var efd = Libc.EventFd();
        int fd = efd.Fd;
        var handler = new RecordingHandler();
        var registration = await _loop.OnLoop(() => _loop.Select(efd, PollEvents.Readable, handler));
        efd.Dispose(); // the owner lets go while the loop still watches it: close is deferred
        Assert.True(FdIsOpen(fd));
        Libc.EventFdSignal(fd);
        await handler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
        await _loop.OnLoop(registration.Deselect);
        await handler.Stopped.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.False(FdIsOpen(fd));
    }

    [Fact]
    public async Task Deselect_WhileReady_NoMoreTicks_StopCallbackRunsOnce()
    {
        using var efd = Libc.EventFd();
        int stops = 0;
        var handler = new RecordingHandler((reg, _) => reg.Deselect());
        var stopped = handler.Stopped.Task.ContinueWith(_ => Interlocked.Increment(ref stops));
        await _loop.OnLoop(() => _loop.Select(efd, PollEvents.Readable, handler));
        Libc.EventFdSignal(efd.Fd); // stays readable: level-triggered
        await handler.Stopped.Task.WaitAsync(LoopTestExtensions.Timeout);
        await _loop.Barrier();
        Assert.Single(handler.Ticks);
        Assert.Equal(0, await _loop.OnLoop(() => _loop.RegistrationCount));
    }

    /// <summary>Whether any epoll instance of this process watches <paramref name="fd"/> (the kernel's view: "tfd:" lines of /proc/self/fdinfo).</summary>
    private static bool InAnEpollSet(int fd)
    {
        foreach (var info in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            string text;
            try { text = File.ReadAllText(info); }
            catch (IOException) { continue; } // closed meanwhile
            foreach (var line in text.Split('\n'))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 1 && parts[0] == "tfd:" && parts[1] == fd.ToString(System.Globalization.CultureInfo.InvariantCulture)) return true;
            }
        }
        return false;
    }

    [Fact]
    public async Task SetInterest_Emptied_LeavesTheEpollSetBeforeTheLoopWaits()
    {
        using var efd = Libc.EventFd();
        var handler = new RecordingHandler();
        var registration = await _loop.OnLoop(() => _loop.Select(efd, PollEvents.Readable, handler));
        Libc.EventFdSignal(efd.Fd); // stays readable: level-triggered
        await handler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.True(InAnEpollSet(efd.Fd));
        await _loop.OnLoop(() => registration.SetInterest(PollEvents.None));
        await _loop.Barrier();
        int ticks = handler.Ticks.Count;
        await _loop.Barrier();
        Assert.False(InAnEpollSet(efd.Fd)); // out of the set: a ready descriptor nobody wants cannot spin the loop
        Assert.Equal(PollEvents.None, await _loop.OnLoop(() => registration.Registered));
        Assert.Equal(ticks, handler.Ticks.Count);
        await _loop.OnLoop(() => registration.SetInterest(PollEvents.Readable)); // and back in
        await _loop.Barrier();
        Assert.True(InAnEpollSet(efd.Fd));
        Assert.True(handler.Ticks.Count > ticks);
    }

    [Fact]
    public async Task SetInterest_DroppedAndTakenBackInOneIteration_TouchesNothing()
    {
        using var efd = Libc.EventFd();
        var handler = new RecordingHandler();
        var registration = await _loop.OnLoop(() => _loop.Select(efd, PollEvents.Readable, handler));
        var (whileDropped, afterRetake) = await _loop.OnLoop(() =>
        {
            registration.SetInterest(PollEvents.None);
            var dropped = registration.Registered; // still in the set: the removal waits for the next wait
            registration.SetInterest(PollEvents.Readable);
            return (dropped, registration.Registered);
        });
        Assert.Equal(PollEvents.Readable, whileDropped);
        Assert.Equal(PollEvents.Readable, afterRetake);
        await _loop.Barrier();
        Assert.True(InAnEpollSet(efd.Fd)); // the queued removal saw the interest back and left it
        Libc.EventFdSignal(efd.Fd);
        await handler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
    }

    [Fact]
    public async Task Dispatch_RegistrationDeselectedEarlierInBatch_IsDropped()
    {
        using var a = Libc.EventFd();
        using var b = Libc.EventFd();
        PollRegistration? ra = null, rb = null;
        int total = 0;
        var handlerA = new RecordingHandler((_, _) => { total++; rb!.Deselect(); ra!.Deselect(); });
        var handlerB = new RecordingHandler((_, _) => { total++; ra!.Deselect(); rb!.Deselect(); });
        await _loop.OnLoop(() =>
        {
            ra = _loop.Select(a, PollEvents.Readable, handlerA);
            rb = _loop.Select(b, PollEvents.Readable, handlerB);
            // Both ready before the next wait, so both are in one epoll_wait batch.
            Libc.EventFdSignal(a.Fd);
            Libc.EventFdSignal(b.Fd);
        });
        await Task.WhenAll(handlerA.Stopped.Task, handlerB.Stopped.Task).WaitAsync(LoopTestExtensions.Timeout);
        await _loop.Barrier();
        Assert.Equal(1, await _loop.OnLoop(() => total));
    }

    [Fact]
    public async Task Select_ReusedFdNumber_OldRegistrationNeverTicks()
    {
        var first = Libc.EventFd();
        int number = first.Fd;
        var oldHandler = new RecordingHandler();
        var oldRegistration = await _loop.OnLoop(() => _loop.Select(first, PollEvents.Readable, oldHandler));
        await _loop.OnLoop(oldRegistration.Deselect);
        first.Dispose();
        // The kernel hands out the lowest free number; other tests may take it first, so keep
        // opening until the old number comes back.
        var spares = new List<SafeFdHandle>();
        SafeFdHandle second;
        while ((second = Libc.EventFd()).Fd != number && spares.Count < 256) spares.Add(second);
        using var _ = second;
        foreach (var spare in spares) spare.Dispose();
        Assert.Equal(number, second.Fd);
        var newHandler = new RecordingHandler();
        await _loop.OnLoop(() => _loop.Select(second, PollEvents.Readable, newHandler));
        Libc.EventFdSignal(second.Fd);
        await newHandler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.Empty(oldHandler.Ticks);
    }

    [Fact]
    public async Task Select_ThousandFds_AllTickOnOneLoop()
    {
        const int count = 1000;
        var fds = Enumerable.Range(0, count).Select(_ => Libc.EventFd()).ToArray();
        try
        {
            int ticked = 0;
            var all = new TaskCompletionSource();
            var handler = new RecordingHandler((reg, _) =>
            {
                reg.SetInterest(PollEvents.None);
                if (++ticked == count) all.SetResult();
            });
            await _loop.OnLoop(() => { foreach (var fd in fds) _loop.Select(fd, PollEvents.Readable, handler); });
            await Task.Run(() => { foreach (var fd in fds) Libc.EventFdSignal(fd.Fd); });
            await all.Task.WaitAsync(LoopTestExtensions.Timeout);
            Assert.Equal(count, await _loop.OnLoop(() => _loop.RegistrationCount));
        }
        finally
        {
            _loop.Dispose();
            await _loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
            foreach (var fd in fds) fd.Dispose();
        }
    }

    [Fact]
    public async Task Dispose_DeselectsEveryRegistration_StopCallbacksRun()
    {
        var loop = new PollScheduler();
        using var efd = Libc.EventFd();
        var handler = new RecordingHandler();
        await loop.OnLoop(() => loop.Select(efd, PollEvents.Readable, handler));
        loop.Dispose();
        await handler.Stopped.Task.WaitAsync(LoopTestExtensions.Timeout);
        Assert.False(efd.IsClosed);
    }

    [Fact]
    public async Task OnReady_Throws_ReportedAndOtherFdsCarryOn()
    {
        using var bad = Libc.EventFd();
        using var good = Libc.EventFd();
        var reported = new TaskCompletionSource<Exception>();
        using var _ = _loop.Errors.Subscribe(ex => reported.TrySetResult(ex));
        var badHandler = new RecordingHandler((reg, _) => { reg.SetInterest(PollEvents.None); throw new InvalidOperationException("driver bug"); });
        var goodHandler = new RecordingHandler((reg, _) => reg.SetInterest(PollEvents.None));
        await _loop.OnLoop(() =>
        {
            _loop.Select(bad, PollEvents.Readable, badHandler);
            _loop.Select(good, PollEvents.Readable, goodHandler);
        });
        Libc.EventFdSignal(bad.Fd);
        Assert.Equal("driver bug", (await reported.Task.WaitAsync(LoopTestExtensions.Timeout)).Message);
        Libc.EventFdSignal(good.Fd);
        await goodHandler.FirstTick.Task.WaitAsync(LoopTestExtensions.Timeout);
    }
}

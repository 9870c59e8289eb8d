using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Ports;

/// <summary>Failure paths found in review: a disposed loop, a failing monitor, self-feeding, slow readers during a drain.</summary>
public sealed class PortRobustnessTests
{
    [Fact(Timeout = 20000)]
    public async Task LoopDisposed_WithOpenPort_OutputFailsExitStillCompletes_NoZombie()
    {
        await using var scope = new PortScope();
        var loop = new PollScheduler();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat").WithScheduler(loop));
        var recorder = new PortRecorder(port);
        await loop.Barrier();
        loop.Dispose();
        await recorder.Completed;
        Assert.IsType<ObjectDisposedException>(recorder.Error);
        Assert.Throws<ObjectDisposedException>(() => port.TryWrite([1]));
        // cat sees end of file on its input (the pipes were closed) and exits; the process-wide reaper
        // took over the reaping, so the status still arrives and no zombie is left.
        var status = await port.Exit.WaitAsync(PortTestKit.TestTimeout);
        Assert.Equal(0, status.ExitCode);
        Assert.False(PortTestKit.IsZombie(port.OsPid!.Value));
    }

    [Fact(Timeout = 20000)]
    public async Task Open_OnDisposedLoop_ThrowsBeforeAnyProcessStarts()
    {
        var loop = new PollScheduler();
        loop.Dispose();
        var marker = Path.Combine(Path.GetTempPath(), $"rp-{Guid.NewGuid():N}");
        Assert.Throws<ObjectDisposedException>(() => PortTestKit.Sh($"touch {marker}").WithScheduler(loop).Open());
        await loop.Stopped.WaitAsync(PortTestKit.TestTimeout);
        Assert.False(File.Exists(marker));
    }

    [Fact(Timeout = 20000)]
    public async Task EventsSubscriber_Throws_IsReportedAndDetached_PortStillCloses()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat"));
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var errors = port.Scheduler.Errors.Subscribe(e => reported.TrySetResult(e));
        port.Events.Subscribe(e => { if (e is PortClosed) throw new InvalidOperationException("monitor bug"); });
        var recorder = new PortRecorder(port);
        long dropped = await port.CloseAsync().WaitAsync(PortTestKit.TestTimeout);
        await recorder.Completed;
        Assert.Equal(0, dropped);
        Assert.Null(recorder.Error);
        Assert.Equal("monitor bug", (await reported.Task.WaitAsync(PortTestKit.TestTimeout)).Message);
        Assert.Contains("Closed", recorder.Kinds); // the other subscribers still got it
    }

    [Fact(Timeout = 20000)]
    public async Task Input_PortFeedingItself_StaysBounded()
    {
        await using var scope = new PortScope();
        // yes never reads its input: every write queues, and the port must stop reading itself.
        var port = scope.Open(Port.SpawnExecutable("/usr/bin/yes").WithKillOnClose());
        long delivered = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p =>
        {
            port.Input.OnNext(p.Payload);
            if ((delivered += p.Length) > 1 << 20) enough.TrySetResult();
        });
        var busy = port.Busy.Where(b => b).FirstAsync().ToTask();
        await Task.WhenAny(enough.Task, busy).WaitAsync(PortTestKit.TestTimeout);
        // Busy for good (yes never reads): a few more loop iterations must not read any more.
        await port.Scheduler.Barrier();
        await port.Scheduler.Barrier();
        var info = port.GetInfo();
        Assert.True(info.IsBusy);
        // Bounded: the pipe-sized allowance of an idle port (64 KiB), the high mark, and the
        // packets of the reads in flight when it turned busy (64 KiB each) — never growing.
        Assert.True(info.QueueSize <= 65536 + 8192 + 2 * 65536, $"queued {info.QueueSize} bytes");
        Assert.True(delivered < 1 << 20, $"{delivered} bytes were read while the port was busy");
    }

    [Fact(Timeout = 30000)]
    public async Task DrainTimeout_WhileSlowConsumerHoldsReading_DropsNothing()
    {
        await using var scope = new PortScope();
        // Less than a pipe holds, so the child exits however little the paused port has read.
        var port = scope.Open(Port.SpawnExecutable("/usr/bin/head").WithArguments("-c", "60000", "/dev/zero")
            .WithExitWaitingForEof(false, TimeSpan.FromMilliseconds(50)));
        var release = new TaskCompletionSource();
        long total = 0;
        var done = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.ObserveOn(TaskPoolScheduler.Default, capacity: 1).Subscribe(
            p =>
            {
                // The first packet waits until the child has exited and a drain period has passed.
                release.Task.Wait(PortTestKit.TestTimeout);
                Interlocked.Add(ref total, p.Length);
            },
            ex => done.TrySetResult(ex), () => done.TrySetResult(null));
        await port.Exit.WaitAsync(PortTestKit.TestTimeout);
        var drainPassed = new TaskCompletionSource();
        port.Scheduler.Schedule(TimeSpan.FromMilliseconds(200), () => drainPassed.SetResult());
        await drainPassed.Task.WaitAsync(PortTestKit.TestTimeout);
        release.SetResult();
        Assert.Null(await done.Task.WaitAsync(PortTestKit.TestTimeout));
        Assert.Equal(60000, Interlocked.Read(ref total));
    }
}

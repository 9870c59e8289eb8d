using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Reliability.Tests.Native;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Reliability.Tests.Hangs;

/// <summary>
/// Situations that hang naive process code: a child that never reads under a full queue, a
/// grandchild holding the output, a subscriber that throws or disposes from OnNext, writers racing
/// a close. Each must end within its timeout; nothing waits without one.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class NoHangTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30000)]
    public async Task NeverReadingChild_FullQueue_WritersBlocked_CloseReleasesAllAndEnds()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/sleep").WithArguments("60").WithKillOnClose());
        var recorder = new PortRecorder(port);
        port.WriteForced(new byte[256 * 1024]); // the pipe is full and the port busy for good
        var block = new byte[4096];
        // Writers of every kind wait on the busy port: blocking threads, awaiting tasks, the channel.
        var blocked = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() => port.Write(block), TaskCreationOptions.LongRunning))
            .Concat(Enumerable.Range(0, 4).Select(_ => port.WriteAsync(block).AsTask()))
            .Append(port.Writer.WriteAsync(block).AsTask())
            .ToList();
        await port.Busy.FirstAsync(b => b).ToTask().WaitAsync(Timeout);
        Assert.All(blocked, t => Assert.False(t.IsCompleted));

        long dropped = await port.CloseAsync(TimeSpan.FromMilliseconds(10)).WaitAsync(Timeout);
        foreach (var writer in blocked) await Assert.ThrowsAnyAsync<Exception>(() => writer.WaitAsync(Timeout));
        Assert.All(blocked, t => Assert.True(t.Exception!.InnerException is ObjectDisposedException or System.Threading.Channels.ChannelClosedException, t.Exception.InnerException!.ToString()));
        Assert.True(dropped > 0);
        Assert.Equal(9, (await port.Exit.WaitAsync(Timeout)).Signal); // kill-on-close after the flush timeout
        await recorder.Completed;
    }

    [Fact(Timeout = 30000)]
    public async Task GrandchildHoldsOutput_CloseAndDispose_EndAtOnce_ChildReaped()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("sleep 60 & echo $!; exec sleep 60").WithFraming(FrameFormat.Line()));
        var recorder = new PortRecorder(port);
        int grandchild = int.Parse(Text((await recorder.FirstPacket).Payload));
        scope.AddPid(grandchild);
        port.Kill(); // the child goes; the grandchild still holds the output's write end
        Assert.Equal(9, (await port.Exit.WaitAsync(Timeout)).Signal);
        await port.CloseAsync().WaitAsync(Timeout);
        await port.DisposeAsync().AsTask().WaitAsync(Timeout);
        await recorder.Completed;
        Assert.True(IsAlive(grandchild));
        Assert.False(IsZombie(port.OsPid!.Value));
    }

    [Fact(Timeout = 30000)]
    public async Task ObserverThrowsInOnNext_PortFailsAndReports_ChildGetsEpipeInsteadOfBlocking()
    {
        await using var scope = new PortScope();
        // 64 MiB: far more than the pipe holds, so the child could only end by EPIPE (or by blocking forever).
        var port = scope.Open(NativeChildren.WriterSpec(5, 64 << 20, 65536, "exit:0"));
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var errors = port.Scheduler.Errors.Subscribe(e => { if (e.Message == "subscriber bug") reported.TrySetResult(e); });
        int calls = 0;
        var terminal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(
            _ => { Interlocked.Increment(ref calls); throw new InvalidOperationException("subscriber bug"); },
            ex => terminal.TrySetResult("OnError"),
            () => terminal.TrySetResult("OnCompleted"));

        Assert.Equal("subscriber bug", (await reported.Task.WaitAsync(Timeout)).Message);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => port.Completion.WaitAsync(Timeout));
        Assert.Equal("subscriber bug", failure.Message);
        // rpwriter exits 3 on a write error; with SIGPIPE at its default (the spawn resets it) it dies of SIGPIPE.
        var status = await port.Exit.WaitAsync(Timeout);
        Assert.True(status.Signal == 13 || status.ExitCode == 3, status.ToString());
        Assert.Equal(1, Volatile.Read(ref calls)); // nothing more after the throw…
        Assert.False(terminal.Task.IsCompleted);   // …not even a terminal message
    }

    [Fact(Timeout = 30000)]
    public async Task HandedOffObserverThrowsInOnNext_PortFailsAndReports_ChildGetsEpipeInsteadOfBlocking()
    {
        await using var scope = new PortScope();
        var port = scope.Open(NativeChildren.WriterSpec(6, 64 << 20, 65536, "exit:0"));
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var errors = port.Scheduler.Errors.Subscribe(e => { if (e.Message == "slow subscriber bug") reported.TrySetResult(e); });
        using var consumer = new System.Reactive.Concurrency.EventLoopScheduler();
        int calls = 0;
        var terminal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.ObserveOn(consumer, capacity: 4).Subscribe(
            _ => { Interlocked.Increment(ref calls); throw new InvalidOperationException("slow subscriber bug"); },
            ex => terminal.TrySetResult("OnError"),
            () => terminal.TrySetResult("OnCompleted"));

        // As on the loop: reported, the port fails, our read end closes, the child gets EPIPE — and
        // the consumer's thread survives (an exception escaping an EventLoopScheduler's action kills the process).
        Assert.Equal("slow subscriber bug", (await reported.Task.WaitAsync(Timeout)).Message);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => port.Completion.WaitAsync(Timeout));
        Assert.Equal("slow subscriber bug", failure.Message);
        var status = await port.Exit.WaitAsync(Timeout);
        Assert.True(status.Signal == 13 || status.ExitCode == 3, status.ToString());
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(terminal.Task.IsCompleted);
        Assert.Equal(42, await Task.Factory.StartNew(() => 42).ContinueWith(_ => System.Reactive.Linq.Observable.Return(42, consumer).ToTask()).Unwrap().WaitAsync(Timeout));
    }

    [Fact(Timeout = 30000)]
    public async Task DisposeFromInsideHandedOffOnNext_PortCloses_ChildGetsEpipe_NoMorePackets()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/usr/bin/yes"));
        using var consumer = new System.Reactive.Concurrency.EventLoopScheduler();
        IDisposable? subscription = null;
        var subscribed = new ManualResetEventSlim();
        int packets = 0;
        subscription = port.Output.ObserveOn(consumer, capacity: 2).Subscribe(_ =>
        {
            subscribed.Wait(Timeout);
            Interlocked.Increment(ref packets);
            subscription!.Dispose();
        });
        subscribed.Set();
        Assert.Equal(13, (await port.Exit.WaitAsync(Timeout)).Signal); // closed: yes got EPIPE
        await port.Completion.WaitAsync(Timeout); // closed normally, not failed
        Assert.Equal(1, Volatile.Read(ref packets));
    }

    [Fact(Timeout = 30000)]
    public async Task DisposeFromInsideOnNext_PortCloses_ChildGetsEpipe_NoMorePackets()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/usr/bin/yes"));
        IDisposable? subscription = null;
        int after = 0;
        bool disposed = false;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscription = port.Output.Subscribe(_ =>
        {
            if (disposed) Interlocked.Increment(ref after);
            disposed = true;
            // The subscription is assigned before the loop delivers: Subscribe posts to the loop.
            subscription!.Dispose();
            first.TrySetResult();
        });
        await first.Task.WaitAsync(Timeout);
        Assert.Equal(13, (await port.Exit.WaitAsync(Timeout)).Signal);
        await port.Completion.WaitAsync(Timeout);
        Assert.Equal(0, Volatile.Read(ref after));
    }

    [Fact(Timeout = 60000)]
    public async Task WritesRacingClose_FromManyThreads_EndCleanly_AcceptedBytesAllArrive()
    {
        using var files = new TempDir("rp-race-");
        for (int round = 0; round < 20; round++)
        {
            string count = files.File($"count{round}");
            await using var scope = new PortScope();
            // wc counts every byte the child receives and writes the count at end of input.
            var port = scope.Open(Sh("exec wc -c > \"$0\"", count));
            long accepted = 0;
            using var go = new Barrier(9);
            var writers = Enumerable.Range(0, 8).Select(w => Task.Factory.StartNew(() =>
            {
                var payload = new byte[1 + (w * 977 % 5000)];
                go.SignalAndWait(Timeout);
                for (int i = 0; i < 2000; i++)
                {
                    try
                    {
                        switch ((w + i) % 4)
                        {
                            case 0: port.Write(payload); break;
                            case 1: port.WriteAsync(payload).AsTask().GetAwaiter().GetResult(); break;
                            case 2: if (!port.TryWrite(payload)) continue; break;
                            default: port.WriteForced(payload); break;
                        }
                        Interlocked.Add(ref accepted, payload.Length);
                    }
                    catch (ObjectDisposedException)
                    {
                        return; // the documented answer after the close
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToList();
            go.SignalAndWait(Timeout);
            var closing = Task.Run(() => port.CloseAsync(Timeout));
            long dropped = await closing.WaitAsync(Timeout);
            await Task.WhenAll(writers).WaitAsync(Timeout);
            Assert.Equal(0, (await port.Exit.WaitAsync(Timeout)).ExitCode);
            long received = long.Parse(File.ReadAllText(count).Trim());
            Assert.Equal(Interlocked.Read(ref accepted) - dropped, received);
            Assert.Equal(0, dropped); // wc reads everything within the flush timeout
        }
    }
}

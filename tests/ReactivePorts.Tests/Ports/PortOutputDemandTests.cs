using System.Collections.Concurrent;
using ReactivePorts.Framing;
using ReactivePorts.TestSupport;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Reading with demand (<see cref="PortOutput.SubscribeOnDemand"/>): the port reads only while packets are asked for.</summary>
public sealed class PortOutputDemandTests
{
    private const int ReadSize = 64 * 1024; // the spawn driver's read size

    [Fact(Timeout = 20000)]
    public async Task SubscribeOnDemand_LoopDisposed_ThrowsAndLeavesTheOutputWithoutASubscriber()
    {
        var loop = new ReactivePorts.Polling.PollScheduler();
        var port = Port.SpawnExecutable("/bin/cat").WithScheduler(loop).Open();
        try
        {
            loop.Dispose();

            Assert.Throws<ObjectDisposedException>(() => port.Output.SubscribeOnDemand(new QueueObserver()));
            // Not "already has a subscriber": the failed subscription left nothing behind.
            Assert.Throws<ObjectDisposedException>(() => port.Output.SubscribeOnDemand(new QueueObserver()));
            Assert.Throws<ObjectDisposedException>(() => port.Output.Subscribe(new QueueObserver()));
        }
        finally
        {
            port.Kill();
            await port.Exit.WaitAsync(TestTimeout);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task NoRequest_ReadsNothing_OneRequest_ReadsOneRead_AndTheChildBlocks()
    {
        await using var scope = new PortScope();
        // 8 MB of output: far more than the pipe holds, so the child can only finish if the port reads on.
        var port = scope.Open(Sh("exec head -c 8000000 /dev/zero"));
        var observer = new QueueObserver();
        using var demand = port.Output.SubscribeOnDemand(observer);
        await port.Started.WaitAsync(TestTimeout);

        Assert.Equal(0, port.GetInfo().BytesRead);
        for (int i = 1; i <= 5; i++)
        {
            demand.Request(1);
            await observer.WaitForCount(i);
            // Each request lets one read through (stream framing: one packet per read); a read under
            // way when the demand ran out is the only excess.
            Assert.InRange(port.GetInfo().BytesRead, 1, (i + 1) * ReadSize);
        }
        // The child is stopped by its full pipe (the kernel says where it sleeps), and stays there.
        await WaitUntilBlockedWriting(port.OsPid!.Value);
        // A read already under way when the demand ran out lands by the loop's next iterations.
        await ReactivePorts.Tests.Polling.LoopTestExtensions.Barrier(port.Scheduler);
        long read = port.GetInfo().BytesRead;
        await Task.Delay(50);
        Assert.True(ProcessWaits.IsBlockedWriting(port.OsPid!.Value));
        Assert.False(port.Exit.IsCompleted);
        Assert.Equal(read, port.GetInfo().BytesRead);
        Assert.Equal(0, demand.Outstanding);
    }

    [Fact(Timeout = 20000)]
    public async Task RequestsFromTheConsumer_DeliverEveryLineInOrder_ThenComplete()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("seq 1 20000").WithFraming(FrameFormat.Line()));
        var observer = new QueueObserver();
        using var demand = port.Output.SubscribeOnDemand(observer);
        var lines = new List<string>();
        demand.Request(3);
        while (true)
        {
            var next = await observer.Take();
            if (next is null) break;
            lines.Add(Text(next.Value.Payload));
            // Ask for one more per packet taken, from this thread: demand stays at most 3 ahead.
            demand.Request(1);
        }
        Assert.Null(observer.Error);
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => i.ToString()), lines);
        Assert.Equal(0, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Dispose_ClosesThePort()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec cat"));
        var demand = port.Output.SubscribeOnDemand(new QueueObserver());
        demand.Request(1);
        demand.Dispose();
        await port.Completion.WaitAsync(TestTimeout);
        Assert.NotEqual(PortState.Open, port.State);
    }

    [Fact(Timeout = 20000)]
    public async Task BadUse_IsRefused()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec cat"));
        Assert.Throws<ArgumentNullException>(() => port.Output.SubscribeOnDemand(null!));
        using var demand = port.Output.SubscribeOnDemand(new QueueObserver());
        Assert.Throws<ArgumentOutOfRangeException>(() => demand.Request(0));
        Assert.Throws<InvalidOperationException>(() => port.Output.SubscribeOnDemand(new QueueObserver()));
        Assert.Throws<InvalidOperationException>(() => port.Output.Subscribe(new QueueObserver()));
        demand.Request(long.MaxValue);
        demand.Request(long.MaxValue); // saturates ("unbounded"), never overflows
        Assert.Equal(long.MaxValue, demand.Outstanding);
    }

    private static Task WaitUntilBlockedWriting(int pid) => ProcessWaits.WaitUntilBlockedWriting(pid, TestTimeout);

    /// <summary>Collects packets from the loop thread; a null packet marks the end.</summary>
    private sealed class QueueObserver : IObserver<Packet>
    {
        private readonly BlockingCollection<Packet?> _packets = new();
        private int _count;
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = new();

        public Exception? Error { get; private set; }

        public void OnNext(Packet value)
        {
            _packets.Add(value);
            int count = Interlocked.Increment(ref _count);
            lock (_waiters)
                foreach (var (wanted, done) in _waiters)
                    if (count >= wanted) done.TrySetResult();
        }

        public void OnError(Exception error)
        {
            Error = error;
            _packets.Add(null);
        }

        public void OnCompleted() => _packets.Add(null);

        public Task<Packet?> Take() => Task.Run(() => _packets.Take()).WaitAsync(TestTimeout);

        public Task WaitForCount(int count)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                if (Volatile.Read(ref _count) >= count) return Task.CompletedTask;
                _waiters.Add((count, done));
            }
            return done.Task.WaitAsync(TestTimeout);
        }
    }
}

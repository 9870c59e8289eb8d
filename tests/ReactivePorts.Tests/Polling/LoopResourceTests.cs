using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

[CollectionDefinition(nameof(NotInParallel), DisableParallelization = true)]
public sealed class NotInParallel;

/// <summary>Threads and CPU the loop costs, measured against the process itself; run alone so other tests' threads don't count.</summary>
[Collection(nameof(NotInParallel))]
public sealed class LoopResourceTests
{
    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    // The kernel keeps the first 15 bytes of a thread's name.
    private static int LoopThreadCount() => Directory.GetDirectories("/proc/self/task")
        .Count(t => File.Exists($"{t}/comm") && File.ReadAllText($"{t}/comm").StartsWith("ReactivePorts P", StringComparison.Ordinal));

    /// <summary>utime + stime of one thread, in clock ticks (1/100 s).</summary>
    private static long CpuTicks(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]); // fields 14 and 15 of stat(5)
    }

    [Fact]
    public async Task NewLoop_AddsOneThread_AndThousandFdsAddNone()
    {
        int before = ThreadCount();
        int loopsBefore = LoopThreadCount();
        var loops = Enumerable.Range(0, 4).Select(_ => new PollScheduler()).ToArray();
        var fds = new List<SafeFdHandle>();
        try
        {
            foreach (var loop in loops) await loop.OnLoop(() => { });
            int withLoops = ThreadCount();
            Assert.Equal(4, LoopThreadCount() - loopsBefore);
            // Runtime threads come and go meanwhile, so the total only has an upper bound.
            Assert.True(withLoops - before <= 5, $"{withLoops - before} threads added");
            var handler = new RecordingHandler();
            await loops[0].OnLoop(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    var fd = Libc.EventFd();
                    fds.Add(fd);
                    loops[0].Select(fd, PollEvents.Readable, handler);
                }
            });
            Assert.True(ThreadCount() - withLoops <= 1, "registering descriptors started threads");
            Assert.Equal(4, LoopThreadCount() - loopsBefore);
        }
        finally
        {
            foreach (var loop in loops)
            {
                loop.Dispose();
                await loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
            }
            foreach (var fd in fds) fd.Dispose();
        }
    }

    [Fact]
    public async Task IdleLoop_WithThousandFds_UsesUnderTwoPercentOfACore()
    {
        using var loop = new PollScheduler();
        var fds = Enumerable.Range(0, 1000).Select(_ => Libc.EventFd()).ToArray();
        try
        {
            var handler = new RecordingHandler();
            int tid = await loop.OnLoop(() =>
            {
                foreach (var fd in fds) loop.Select(fd, PollEvents.Readable, handler);
                return Libc.GetTid();
            });
            long start = CpuTicks(tid);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the measurement interval itself, not a wait for a condition
            long used = CpuTicks(tid) - start;
            double share = used / 100.0 / stopwatch.Elapsed.TotalSeconds;
            Assert.True(share < 0.02, $"idle loop used {share:P1} of a core");
            Assert.Empty(handler.Ticks);
        }
        finally
        {
            loop.Dispose();
            await loop.Stopped.WaitAsync(LoopTestExtensions.Timeout);
            foreach (var fd in fds) fd.Dispose();
        }
    }
}

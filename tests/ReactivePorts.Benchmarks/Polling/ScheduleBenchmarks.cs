using System.Reactive.Concurrency;
using BenchmarkDotNet.Attributes;
using ReactivePorts.Polling;

namespace ReactivePorts.Benchmarks.Polling;

/// <summary>
/// Cross-thread scheduling: a caller thread posts work to a loop and waits until the last item ran.
/// PollScheduler (epoll + eventfd wake, spin-then-block) against Rx's EventLoopScheduler (a
/// semaphore-driven thread), both through the public IScheduler.Schedule, plus the internal
/// Post that the ports use (no IDisposable per item).
/// </summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    private const int Items = 10_000;
    private PollScheduler _poll = null!;
    private EventLoopScheduler _rx = null!;
    private int _count;
    private ManualResetEventSlim _done = null!;

    [GlobalSetup]
    public void Setup()
    {
        _poll = new PollScheduler();
        _rx = new EventLoopScheduler();
        _done = new ManualResetEventSlim();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _poll.Dispose();
        _rx.Dispose();
    }

    private void Ran()
    {
        if (++_count == Items) _done.Set();
    }

    private void Wait()
    {
        _done.Wait();
        _done.Reset();
        _count = 0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public void EventLoopScheduler_Schedule()
    {
        for (int i = 0; i < Items; i++) _rx.Schedule(Ran);
        Wait();
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public void PollScheduler_Schedule()
    {
        for (int i = 0; i < Items; i++) _poll.Schedule(Ran);
        Wait();
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public void PollScheduler_Post()
    {
        for (int i = 0; i < Items; i++) _poll.Post(static self => self.Ran(), this);
        Wait();
    }
}

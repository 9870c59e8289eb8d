using System.Reactive.Concurrency;
using BenchmarkDotNet.Attributes;
using ReactivePorts.Polling;

namespace ReactivePorts.Benchmarks.Polling;

/// <summary>
/// Timer throughput: 10,000 timers due within the next millisecond (spread over 0–1 ms, in
/// shuffled order), scheduled from a caller thread; the benchmark ends when the last has fired.
/// PollScheduler's timer heap against Rx's EventLoopScheduler.
/// </summary>
[MemoryDiagnoser]
public class TimerBenchmarks
{
    private const int Timers = 10_000;
    private PollScheduler _poll = null!;
    private EventLoopScheduler _rx = null!;
    private TimeSpan[] _due = null!;
    private int _count;
    private ManualResetEventSlim _done = null!;

    [GlobalSetup]
    public void Setup()
    {
        _poll = new PollScheduler();
        _rx = new EventLoopScheduler();
        _done = new ManualResetEventSlim();
        var random = new Random(42);
        _due = Enumerable.Range(0, Timers).Select(i => TimeSpan.FromTicks(1 + i * TimeSpan.TicksPerMillisecond / Timers)).OrderBy(_ => random.Next()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _poll.Dispose();
        _rx.Dispose();
    }

    private void Fired()
    {
        if (++_count == Timers) _done.Set();
    }

    private void Wait()
    {
        _done.Wait();
        _done.Reset();
        _count = 0;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Timers)]
    public void EventLoopScheduler_Timers()
    {
        foreach (var due in _due) _rx.Schedule(due, Fired);
        Wait();
    }

    [Benchmark(OperationsPerInvoke = Timers)]
    public void PollScheduler_Timers()
    {
        foreach (var due in _due) _poll.Schedule(due, Fired);
        Wait();
    }
}

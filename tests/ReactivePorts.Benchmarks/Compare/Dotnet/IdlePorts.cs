using System.Diagnostics;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Compare;

/// <summary>
/// Many idle ports: opens N ports (10,000, capped by the open-file limit) on <c>/bin/sleep 600</c> (default options, output subscribed, so
/// every port is reading), then measures what they cost while nothing happens: threads added to
/// the process, managed heap bytes per port (after a full GC), and CPU used over 3 s of idling.
/// Then kills them all and checks every exit status is SIGKILL.
/// </summary>
internal static class IdlePorts
{
    public static async Task RunAsync(string impl, int requested)
    {
        // Each port holds three descriptors (two pipe ends and a pidfd); the process may not be
        // allowed 30,000 (here the hard limit is 20,000 and cannot be raised), so the count is
        // capped to what fits and reported; the per-port figures do not depend on it.
        long fdLimit = OpenFileLimit();
        int count = (int)Math.Min(requested, (fdLimit - 200) / 3);
        // The baseline comes after the runtime's own threads are up (timer, thread pool workers
        // used by Task.Delay and the opener threads below), so what remains is the library's.
        await Task.Delay(100);
        Parallel.For(0, 8, _ => Thread.Sleep(10));
        int threads0 = ThreadCount();
        long heap0 = Heap();
        var t0 = Stopwatch.GetTimestamp();
        var ports = new Port[count];
        var subscriptions = new IDisposable[count];
        var failures = 0;
        // Opened from 4 threads (posix_spawn blocks its caller until the child has exec'd), which end before the measurement.
        var openers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = t; i < count; i += 4)
            {
                ports[i] = Port.SpawnExecutable("/bin/sleep").WithArguments("600").Open();
                subscriptions[i] = ports[i].Output.Subscribe(_ => Interlocked.Increment(ref failures), _ => { }, () => { });
            }
        })).ToArray();
        foreach (var o in openers) o.Start();
        foreach (var o in openers) o.Join();
        var openSeconds = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        await Task.Delay(1000); // let the loop start reading every port
        long heap1 = Heap();
        int threads1 = ThreadCount();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var w0 = Stopwatch.GetTimestamp();
        await Task.Delay(3000);
        proc.Refresh();
        var cpu1 = proc.TotalProcessorTime;
        var idleCpu = (cpu1 - cpu0).TotalSeconds / Bench.Seconds(w0, Stopwatch.GetTimestamp()) * 100;
        long heapPerPort = (heap1 - heap0) / count;
        GC.KeepAlive(subscriptions);

        foreach (var p in ports) p.Kill();
        var all = Task.WhenAll(ports.Select(p => p.Exit));
        if (await Task.WhenAny(all, Task.Delay(60_000)) != all) throw new TimeoutException("idle: not every port reported its exit within 60 s");
        var killed = all.Result.Count(s => s.Signal == 9);
        if (killed != count) throw new InvalidOperationException($"idle: {count - killed} ports did not end by SIGKILL");
        if (failures != 0) throw new InvalidDataException($"idle: {failures} packets from sleep");
        Bench.Info(impl, $"idle: open-file limit {fdLimit}, {requested} ports asked for; opened {count} ports in {openSeconds:F1} s; threads {threads0} -> {threads1}; managed heap {heap0 / 1024} KiB -> {heap1 / 1024} KiB; idle CPU {idleCpu:F2} % of a core over 3 s");
        Bench.Check(impl, $"idle ok ports={count} killed={killed}");
        Bench.Result(impl, "idle.ports", count, "F0");
        Bench.Result(impl, "idle.threads_added", threads1 - threads0, "F0");
        Bench.Result(impl, "idle.heap_B_per_port", heapPerPort, "F0");
        Bench.Result(impl, "idle.cpu_pct", idleCpu, "F2");
    }

    private static long OpenFileLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture);
        return 1024;
    }

    private static int ThreadCount()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) return int.Parse(line.AsSpan(8).Trim());
        return -1;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

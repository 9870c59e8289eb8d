// ReactivePortsBench — the library under test, written as a careful user of its public API.
//   ReactivePorts.Benchmarks compare reactiveports [--zero-copy] [--pipe-size BYTES] [--batch N|auto | --try] [--name NAME] TEST [SECS [TRIALS]]
//   TEST: all | raw | pkt | pkt64 | pkt1k | pkt64k | rtt | spawn | many | alloc | idle
// Throughput: Port.SpawnExecutable("/bin/cat") (stream framing for raw, {packet,4} for packets);
// one task sends (raw: WriteAsync of 64 KiB chunks; packets: one WriteAsync per packet, the port
// frames and coalesces them, or with --batch N|auto, N payloads per WriteBatchAsync, auto = as many
// as .NET Process's writer puts in one WriteAsync, for payloads up to 16 KiB), the subscriber checks
// every byte / packet in OnNext, on the loop thread, one OnNext per packet. Default options (busy marks 8192/4096, owned payloads, 64 KiB
// pipes) unless --zero-copy / --pipe-size.
// RTT: WriteAsync one 64-byte packet, await its echo (a TaskCompletionSource set in OnNext).
// Spawn: Port.SpawnExecutable("/bin/true").Open(), subscribe, wait for Exit (status 0), from 1
// and from 8 caller threads.
// alloc: bytes allocated per packet at steady state (64 B packets), on the loop thread and in the
// whole process. idle: 10,000 idle ports (sleep): threads added, managed bytes per port, idle CPU.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Compare;

internal sealed class ReactivePortsBench
{
    private readonly string _impl;
    private readonly bool _zeroCopy;
    private readonly int? _pipeSize;
    private readonly int _batch;

    private ReactivePortsBench(string impl, bool zeroCopy, int? pipeSize, int batch)
    {
        _batch = batch;
        _impl = impl;
        _zeroCopy = zeroCopy;
        _pipeSize = pipeSize;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string impl = "reactiveports";
        bool zeroCopy = false;
        int? pipeSize = null;
        int batch = 1;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith("--", StringComparison.Ordinal); i++)
        {
            switch (args[i])
            {
                case "--zero-copy": zeroCopy = true; break;
                case "--pipe-size": pipeSize = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--name": impl = args[++i]; break;
                case "--batch": batch = args[++i] == "auto" ? -1 : int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--try": batch = 0; break; // TryWrite per packet, WriteAsync only when it says busy
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var opt = Bench.Options.Parse(args[i..]);
        var bench = new ReactivePortsBench(impl, zeroCopy, pipeSize, batch);
        Bench.Info(impl, $"ReactivePorts runtime {Environment.Version} cpus {Environment.ProcessorCount} serverGC {GCSettings.IsServerGC} zeroCopy {zeroCopy} pipeSize {pipeSize?.ToString() ?? "default"} test {opt.Test} secs {opt.Seconds} trials {opt.Trials}");
        return await Bench.RunTestsAsync(impl, async () =>
        {
            if (opt.Runs("raw")) await Bench.MeasureRawAsync(impl, opt, bench.RunRaw);
            foreach (var size in new[] { 64, 1024, 65536 })
                if (opt.Runs(Bench.Key(size))) await bench.Pkt(opt, size);
            if (opt.Runs("rtt")) await bench.Rtt();
            if (opt.Test == "rttloop") await bench.Rtt(onLoop: true);
            if (opt.Runs("spawn")) bench.Spawn(opt, 1, "spawn1");
            if (opt.Runs("spawn")) bench.Spawn(opt, 8, "spawn8");
            if (opt.Runs("many")) await Bench.MeasureManyAsync(impl, opt, async seconds => (await bench.RunRaw(seconds)).Bytes);
            if (opt.Test == "alloc") await bench.Alloc(opt);
            if (opt.Test == "oneway") await bench.OneWay(opt);
            if (opt.Test == "writealloc") await bench.WriteAlloc();
            if (opt.Test == "spawnprofile") bench.SpawnProfile();
            if (opt.Test == "idle") await IdlePorts.RunAsync(impl, int.Parse(Environment.GetEnvironmentVariable("IDLE_PORTS") ?? "10000", System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    private static readonly ReactivePorts.Polling.PollScheduler? s_loop = Environment.GetEnvironmentVariable("RP_SPIN_US") is { } spin
        ? new(new() { SpinDuration = TimeSpan.FromMicroseconds(double.Parse(spin, System.Globalization.CultureInfo.InvariantCulture)) })
        : null;

    private SpawnSpec Cat(FrameFormat framing)
    {
        var spec = Port.SpawnExecutable("/bin/cat").WithFraming(framing);
        if (s_loop is not null) spec = spec.WithScheduler(s_loop); // experiments only: RP_SPIN_US=…
        if (_zeroCopy) spec = spec.WithZeroCopy();
        if (_pipeSize is { } size) spec = spec.WithPipeSize(size);
        if (Environment.GetEnvironmentVariable("RP_BUSY_HIGH") is { } high) // experiments only
            spec = spec.WithBusyLimits(long.Parse(high, System.Globalization.CultureInfo.InvariantCulture) / 2, long.Parse(high, System.Globalization.CultureInfo.InvariantCulture));
        return spec;
    }

    /// <summary>
    /// Sends with <paramref name="send"/>, half-closes, waits until the checker is done and cat
    /// exited 0; kills cat on any failure. Returns what <paramref name="send"/> counted.
    /// </summary>
    private static async Task<long> SendThenEndCat(Port port, Task done, Func<Task<long>> send)
    {
        try
        {
            long sent = await send();
            port.CompleteInput();
            await done;
            var status = await port.Exit;
            if (status.ExitCode != 0) throw new InvalidOperationException($"cat ended with {status}");
            return sent;
        }
        catch
        {
            port.Kill();
            throw;
        }
    }

    // ------------------------------------------------------------------ raw

    private async Task<(double MBps, long Bytes)> RunRaw(double seconds)
    {
        var pattern = Bench.RawPattern(2 << 20); // longer than any read (1 MiB pipes read up to 1 MiB)
        var checker = new RawChecker(pattern);
        await using var port = Cat(FrameFormat.Stream).Open();
        port.Output.Subscribe(checker);
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        var chunk = pattern.AsMemory(0, Bench.Chunk);
        long sent = await SendThenEndCat(port, checker.Done, async () =>
        {
            long bytes = 0;
            while (Stopwatch.GetTimestamp() < deadline && !checker.Done.IsCompleted)
            {
                await port.WriteAsync(chunk);
                bytes += Bench.Chunk;
            }
            return bytes;
        });
        var el = Bench.Seconds(t0, checker.EndTimestamp);
        if (sent != checker.Received) throw new InvalidDataException($"raw: sent {sent} bytes, got back {checker.Received}");
        return (checker.Received / el / 1e6, checker.Received);
    }

    // ------------------------------------------------------------------ pkt

    private async Task<(double Pps, long Count)> RunPkt(int size, double seconds, Action<PacketChecker>? onStart = null)
    {
        var checker = new PacketChecker(size);
        await using var port = Cat(FrameFormat.LengthPrefixed(4)).Open();
        port.Output.Subscribe(checker);
        onStart?.Invoke(checker);
        var t0 = Stopwatch.GetTimestamp();
        // --batch auto: as many packets per call as .NET Process's writer puts in one WriteAsync
        // (up to 256 KiB), for payloads the port coalesces (up to 16 KiB); bigger ones one by one.
        int batch = _batch >= 0 ? _batch : size <= 16 * 1024 ? Bench.PacketsPerBatch(size) : 1;
        long sent = await SendThenEndCat(port, checker.Done, () => batch > 1
            ? WriteBatchesAsync(port, size, batch, Bench.Deadline(seconds), checker.Done)
            : WritePacketsAsync(port, size, Bench.Deadline(seconds), checker.Done, tryFirst: batch == 0));
        var el = Bench.Seconds(t0, checker.EndTimestamp);
        if (sent != checker.Received) throw new InvalidDataException($"pkt: sent {sent} packets, got back {checker.Received}");
        return (checker.Received / el, checker.Received);
    }

    /// <summary>One WriteAsync per packet (the port frames it); payload: seq (big-endian) in bytes 0..7, the pattern, seq &amp; 0xff last.</summary>
    private static long s_waits; // writes that had to wait (the port was busy)

    private static async Task<long> WritePacketsAsync(Port port, int size, long deadline, Task failed, bool tryFirst = false)
    {
        var payload = new byte[size];
        for (var i = 8; i < size - 1; i++) payload[i] = Bench.PatternByte(i);
        long seq = 0;
        while ((seq & 63) != 0 || (Stopwatch.GetTimestamp() < deadline && !failed.IsCompleted))
        {
            BinaryPrimitives.WriteUInt64BigEndian(payload, (ulong)seq);
            payload[size - 1] = (byte)seq;
            // Accepted means copied: the buffer may be reused once the write completes.
            // --try: TryWrite, and only when the port is busy the awaited WriteAsync that waits for it.
            if (tryFirst && port.TryWrite(payload))
            {
                seq++;
                continue;
            }
            var write = port.WriteAsync(payload);
            if (!write.IsCompleted) s_waits++;
            await write;
            seq++;
        }
        return seq;
    }

    /// <summary>
    /// <paramref name="batch"/> packets per WriteBatchAsync (the port frames each); the payloads are
    /// slices of one buffer, rewritten after each batch is accepted.
    /// </summary>
    private static async Task<long> WriteBatchesAsync(Port port, int size, int batch, long deadline, Task failed)
    {
        var buffer = new byte[size * batch];
        var payloads = new ReadOnlyMemory<byte>[batch];
        for (var k = 0; k < batch; k++)
        {
            payloads[k] = buffer.AsMemory(k * size, size);
            for (var i = 8; i < size - 1; i++) buffer[k * size + i] = Bench.PatternByte(i);
        }
        long seq = 0;
        while (Stopwatch.GetTimestamp() < deadline && !failed.IsCompleted)
        {
            for (var k = 0; k < batch; k++, seq++)
            {
                var payload = buffer.AsSpan(k * size, size);
                BinaryPrimitives.WriteUInt64BigEndian(payload, (ulong)seq);
                payload[size - 1] = (byte)seq;
            }
            var write = port.WriteBatchAsync(payloads);
            if (!write.IsCompleted) s_waits++;
            await write;
        }
        return seq;
    }

    /// <summary>Packets of <paramref name="size"/> bytes, with where the CPU and the waits went during the trials.</summary>
    private Task Pkt(Bench.Options opt, int size) => Bench.MeasurePacketsAsync(_impl, opt, size, (size, seconds) => RunPkt(size, seconds), () =>
    {
        s_waits = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        var pause0 = GC.GetTotalPauseDuration();
        return n =>
        {
            var cpuNs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalNanoseconds / n;
            Bench.Info(_impl, $"{Bench.Key(size)}: {s_waits} of {n} writes waited for a busy port; this process used {cpuNs:F0} ns of CPU per packet (both directions, cat not included); GCs {GC.CollectionCount(0) - gc0}/{GC.CollectionCount(1) - gc1}/{GC.CollectionCount(2) - gc2}, paused {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:F0} ms");
        };
    });

    // ---------------------------------------------------------------- alloc

    /// <summary>64 B packets: bytes allocated per packet after the first 0.25 s, on the loop thread and in the whole process.</summary>
    private async Task Alloc(Bench.Options opt)
    {
        await RunPkt(64, Bench.WarmupSeconds);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long total0 = 0, packets0 = 0;
        var sampler = Task.CompletedTask;
        PacketChecker? watched = null;
        var (pps, n) = await RunPkt(64, opt.Seconds, checker =>
        {
            watched = checker;
            checker.SampleAfter = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 4;
            sampler = Task.Run(async () =>
            {
                await Task.Delay(250);
                packets0 = Volatile.Read(ref checker.Received);
                total0 = GC.GetTotalAllocatedBytes(precise: true);
            });
        });
        long total1 = GC.GetTotalAllocatedBytes(precise: true);
        await sampler;
        var (loopBytes, loopPackets) = watched!.LoopAllocation;
        double loopBpp = loopPackets > 0 ? (double)loopBytes / loopPackets : double.NaN;
        double totalBpp = (double)(total1 - total0) / Math.Max(1, n - packets0);
        Bench.Info(_impl, $"alloc: {n} packets at {pps:F0}/s; loop thread {loopBytes} B over {loopPackets} packets; process {total1 - total0} B over {n - packets0} packets; GCs gen0 {GC.CollectionCount(0) - gen0} gen1 {GC.CollectionCount(1) - gen1} gen2 {GC.CollectionCount(2) - gen2}");
        Bench.Check(_impl, $"alloc ok packets={n}");
        Bench.Result(_impl, "alloc.loopBpp", loopBpp, "F2");
        Bench.Result(_impl, "alloc.totalBpp", totalBpp, "F2");
    }

    /// <summary>Diagnostics: bytes the calling thread allocates per TryWrite / per awaited WriteAsync of 64 B (the port drains to cat &gt; /dev/null).</summary>
    private async Task WriteAlloc()
    {
        await using var port = Port.Spawn("cat > /dev/null").WithFraming(FrameFormat.LengthPrefixed(4)).WithoutBusyMarks().Open();
        port.Output.Subscribe(_ => { });
        var payload = new byte[64];
        for (int i = 0; i < 100_000; i++) port.TryWrite(payload);
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++) port.TryWrite(payload);
        long a1 = GC.GetAllocatedBytesForCurrentThread();
        Bench.Info(_impl, $"writealloc: TryWrite allocates {(a1 - a0) / 1e6:F2} B per call on the caller's thread");
        port.CompleteInput();
        await port.Exit;
    }

    // --------------------------------------------------------------- oneway

    /// <summary>
    /// Diagnostics for the 64 B row: each direction alone. Receive: a C program (c/framegen) writes
    /// frames in 256 KiB batches, the port reads, decodes and delivers them (checked). Send: the
    /// port writes one WriteAsync per packet to <c>cat &gt; /dev/null</c>.
    /// </summary>
    private async Task OneWay(Bench.Options opt)
    {
        var framegen = Path.GetFullPath(Environment.GetEnvironmentVariable("FRAMEGEN") ?? "c/framegen");
        async Task<(double, long)> Receive(double seconds)
        {
            var checker = new PacketChecker(64);
            var spec = Port.SpawnExecutable(framegen).WithArguments("64", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)).WithFraming(FrameFormat.LengthPrefixed(4));
            if (_zeroCopy) spec = spec.WithZeroCopy();
            if (_pipeSize is { } size) spec = spec.WithPipeSize(size);
            await using var port = spec.Open();
            var t0 = Stopwatch.GetTimestamp();
            port.Output.Subscribe(checker);
            await SendThenEndCat(port, checker.Done, () => Task.FromResult(0L)); // framegen only writes
            return (checker.Received / Bench.Seconds(t0, checker.EndTimestamp), checker.Received);
        }
        async Task<(double, long)> Send(double seconds)
        {
            var spec = Port.Spawn("cat > /dev/null").WithFraming(FrameFormat.LengthPrefixed(4));
            if (_pipeSize is { } size) spec = spec.WithPipeSize(size);
            await using var port = spec.Open();
            var done = new TaskCompletionSource();
            port.Output.Subscribe(_ => { }, e => done.TrySetException(e), () => done.TrySetResult());
            var t0 = Stopwatch.GetTimestamp();
            long sent = await SendThenEndCat(port, done.Task, () => WritePacketsAsync(port, 64, Bench.Deadline(seconds), done.Task));
            return (sent / Bench.Seconds(t0, Stopwatch.GetTimestamp()), sent);
        }
        await Receive(Bench.WarmupSeconds);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (rx, rxn) = await Bench.TrialsAsync(_impl, "rx64.pps", opt.Trials, () => Receive(opt.Seconds));
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        await Send(Bench.WarmupSeconds);
        var cpu2 = Process.GetCurrentProcess().TotalProcessorTime;
        var (tx, txn) = await Bench.TrialsAsync(_impl, "tx64.pps", opt.Trials, () => Send(opt.Seconds));
        var cpu3 = Process.GetCurrentProcess().TotalProcessorTime;
        Bench.Info(_impl, $"oneway: receive {(cpu1 - cpu0).TotalNanoseconds / rxn:F0} ns of CPU per packet, send {(cpu3 - cpu2).TotalNanoseconds / txn:F0} ns");
        Bench.Result(_impl, "rx64.cpu_ns", (cpu1 - cpu0).TotalNanoseconds / rxn, "F1");
        Bench.Result(_impl, "tx64.cpu_ns", (cpu3 - cpu2).TotalNanoseconds / txn, "F1");
        Bench.Check(_impl, $"oneway ok received={rxn} sent={txn}");
        Bench.Result(_impl, "rx64.pps", rx, "F0");
        Bench.Result(_impl, "tx64.pps", tx, "F0");
    }

    // ------------------------------------------------------------------ rtt

    /// <param name="onLoop">Diagnostics: the awaiting code continues inline on the loop thread that delivered the echo (no thread-pool hop), so the round trip is the port's own cost.</param>
    private async Task Rtt(bool onLoop = false)
    {
        const int warm = 2000, iters = 20000, size = 64;
        var echo = new EchoWaiter(size, asynchronous: !onLoop);
        string key = onLoop ? "rttloop" : "rtt";
        await using var port = Cat(FrameFormat.LengthPrefixed(4)).Open();
        port.Output.Subscribe(echo);
        var pkt = new byte[size];
        for (var i = 0; i < size; i++) pkt[i] = Bench.PatternByte(i);
        var lat = new double[iters];
        await SendThenEndCat(port, echo.Done, async () =>
        {
            for (var it = 0; it < warm + iters; it++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(pkt, (ulong)it);
                pkt[^1] = (byte)it;
                var reply = echo.Expect(it);
                var t0 = Stopwatch.GetTimestamp();
                await port.WriteAsync(pkt);
                if (!await reply) throw new InvalidDataException($"rtt: bad echo at {it}");
                var t1 = Stopwatch.GetTimestamp();
                if (it >= warm) lat[it - warm] = Bench.Seconds(t0, t1) * 1e6;
            }
            return warm + iters;
        });
        if (echo.Extra != 0) throw new InvalidDataException("rtt: trailing data");
        var (p50, p99) = Bench.Percentiles(lat);
        Bench.Check(_impl, $"{key} ok echoes={iters}");
        Bench.Result(_impl, $"{key}.p50us", p50, "F1");
        Bench.Result(_impl, $"{key}.p99us", p99, "F1");
    }

    // ---------------------------------------------------------------- spawn

    private static void SpawnTrue()
    {
        using var port = Port.SpawnExecutable("/bin/true").Open();
        var done = new TaskCompletionSource();
        port.Output.Subscribe(_ => throw new InvalidDataException("/bin/true wrote output"), e => done.TrySetException(e), () => done.TrySetResult());
        done.Task.GetAwaiter().GetResult();
        var status = port.Exit.GetAwaiter().GetResult();
        if (status.ExitCode != 0) throw new InvalidOperationException($"/bin/true ended with {status}");
    }

    /// <summary>Diagnostics: where a sequential spawn's time goes (Open, then until the output completes, then until Exit), medians in µs.</summary>
    private void SpawnProfile()
    {
        const int n = 300;
        var open = new double[n];
        var done = new double[n];
        var exit = new double[n];
        for (int i = 0; i < n; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var port = Port.SpawnExecutable("/bin/true").Open();
            var t1 = Stopwatch.GetTimestamp();
            var completed = new TaskCompletionSource();
            port.Output.Subscribe(_ => { }, e => completed.TrySetException(e), () => completed.TrySetResult());
            completed.Task.GetAwaiter().GetResult();
            var t2 = Stopwatch.GetTimestamp();
            port.Exit.GetAwaiter().GetResult();
            var t3 = Stopwatch.GetTimestamp();
            open[i] = Bench.Seconds(t0, t1) * 1e6;
            done[i] = Bench.Seconds(t1, t2) * 1e6;
            exit[i] = Bench.Seconds(t2, t3) * 1e6;
        }
        Array.Sort(open); Array.Sort(done); Array.Sort(exit);
        Bench.Info(_impl, $"spawnprofile: median Open {open[n / 2]:F0} µs, then output completed after {done[n / 2]:F0} µs, then Exit after {exit[n / 2]:F0} µs");
    }

    /// <summary>Spawns from <paramref name="threads"/> dedicated caller threads until the time is up; returns (spawns/s, count).</summary>
    private static (double PerSecond, long Count) SpawnRate(int threads, double seconds)
    {
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        long done = 0;
        Exception? failure = null;
        var workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            workers[i] = new Thread(() =>
            {
                try
                {
                    while (Stopwatch.GetTimestamp() < deadline && failure is null)
                    {
                        SpawnTrue();
                        Interlocked.Increment(ref done);
                    }
                }
                catch (Exception e)
                {
                    failure ??= e;
                }
            }) { IsBackground = true };
            workers[i].Start();
        }
        foreach (var w in workers) w.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        var el = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        return (done / el, done);
    }

    private void Spawn(Bench.Options opt, int threads, string key)
    {
        SpawnRate(threads, 0.3);
        var values = new double[opt.Trials];
        long total = 0;
        for (var t = 0; t < opt.Trials; t++)
        {
            var (v, n) = SpawnRate(threads, opt.Seconds);
            values[t] = v;
            total += n;
            Console.WriteLine($"TRIAL {_impl} {key}.per_s {v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        Array.Sort(values);
        var median = opt.Trials % 2 == 1 ? values[opt.Trials / 2] : (values[opt.Trials / 2 - 1] + values[opt.Trials / 2]) / 2;
        Bench.Check(_impl, $"{key} ok spawns={total}");
        Bench.Result(_impl, key + ".per_s", median, "F0");
    }
}

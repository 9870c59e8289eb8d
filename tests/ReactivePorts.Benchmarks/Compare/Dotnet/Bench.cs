// Shared by the Process, CliWrap and ReactivePorts programs so all run the same user-level code;
// only the process plumbing differs. (Copied from the team's anchors, shared/anchors/dotnet/Common.) This is what a careful user would write
// on top of a Stream: {packet,4} framing with BinaryPrimitives, batched writes,
// in-place parsing, every packet checked.
using System.Buffers.Binary;
using System.Diagnostics;

namespace ReactivePorts.Benchmarks.Compare;

internal static class Bench
{
    public const int Chunk = 64 * 1024;
    /// <summary>
    /// Seconds of warm-up before the trials of every .NET peer (environment WARMUP, default 2). The
    /// JIT's tiering (tier 0, instrumented, then optimized with profile data) takes longer than
    /// 0.5 s for this much code: measured after a 0.5 s warm-up, the first 0.5 s trials ran at
    /// 0.65 (ReactivePorts) and 0.75 (Process) of the later ones, which made the median of three
    /// trials jump between two levels from run to run.
    /// </summary>
    public static readonly double WarmupSeconds =
        double.TryParse(Environment.GetEnvironmentVariable("WARMUP"), System.Globalization.CultureInfo.InvariantCulture, out var w) && w >= 0 ? w : 2.0;

    public static long Deadline(double seconds) =>
        Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

    public static double Seconds(long t0, long t1) => (t1 - t0) / (double)Stopwatch.Frequency;

    public static byte PatternByte(int i) => (byte)(i * 7 + (i >> 8) * 13 + 1);

    /// <summary>Period-<see cref="Chunk"/> pattern, long enough to compare any read.</summary>
    public static byte[] RawPattern(int readBuffer)
    {
        var p = new byte[Chunk + readBuffer];
        for (var i = 0; i < p.Length; i++) p[i] = PatternByte(i % Chunk);
        return p;
    }

    // ---------------------------------------------------------------- raw

    /// <summary>Writes 64 KiB chunks until the deadline; returns bytes written.</summary>
    public static async Task<long> WriteRawAsync(Stream s, byte[] pattern, long deadline, CancellationToken ct = default)
    {
        long sent = 0;
        var chunk = pattern.AsMemory(0, Chunk);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await s.WriteAsync(chunk, ct).ConfigureAwait(false);
            sent += Chunk;
        }
        await s.FlushAsync(ct).ConfigureAwait(false);
        return sent;
    }

    /// <summary>Reads to EOF, verifying every byte against the pattern; returns bytes read.</summary>
    public static async Task<long> ReadRawAsync(Stream s, byte[] pattern, int readBuffer, CancellationToken ct = default)
    {
        var buf = new byte[readBuffer];
        long recvd = 0;
        int n;
        while ((n = await s.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
        {
            if (!buf.AsSpan(0, n).SequenceEqual(pattern.AsSpan((int)(recvd % Chunk), n)))
                throw new InvalidDataException($"raw: data mismatch near offset {recvd}");
            recvd += n;
        }
        return recvd;
    }

    // ---------------------------------------------------------------- pkt

    /// <summary>Packets per write: the same batches as the C writev limit (512 packets or 256 KiB).</summary>
    public static int PacketsPerBatch(int size) => Math.Clamp(256 * 1024 / (size + 4), 1, 512);

    /// <summary>
    /// Writes {packet,4} frames until the deadline, coalescing a batch into one buffer and one
    /// WriteAsync. Payload: bytes 0..7 = sequence (big-endian), last byte = sequence &amp; 0xff.
    /// Returns the number of packets written.
    /// </summary>
    public static async Task<long> WritePacketsAsync(Stream s, int size, long deadline, CancellationToken ct = default)
    {
        var perBatch = PacketsPerBatch(size);
        var buf = new byte[perBatch * (size + 4)];
        var middle = new byte[size - 9];
        for (var i = 0; i < middle.Length; i++) middle[i] = PatternByte(i + 8);
        long seq = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            FillBatch(buf, size, perBatch, middle, seq);
            seq += perBatch;
            await s.WriteAsync(buf, ct).ConfigureAwait(false);
        }
        await s.FlushAsync(ct).ConfigureAwait(false);
        return seq;
    }

    private static void FillBatch(Span<byte> buf, int size, int count, ReadOnlySpan<byte> middle, long seq)
    {
        for (var k = 0; k < count; k++, seq++)
        {
            var frame = buf.Slice(k * (size + 4), size + 4);
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)size);
            BinaryPrimitives.WriteUInt64BigEndian(frame[4..], (ulong)seq);
            middle.CopyTo(frame[12..]);
            frame[size + 3] = (byte)seq;
        }
    }

    /// <summary>Parses {packet,4} frames to EOF, checking length, sequence and last byte; returns the count.</summary>
    public static async Task<long> ReadPacketsAsync(Stream s, int size, CancellationToken ct = default)
    {
        var rb = new byte[Math.Max(256 * 1024, 2 * (size + 4))];
        int start = 0, end = 0;
        long expect = 0;
        while (true)
        {
            if (rb.Length - end < size + 4)
            {
                Buffer.BlockCopy(rb, start, rb, 0, end - start);
                end -= start;
                start = 0;
            }
            var n = await s.ReadAsync(rb.AsMemory(end), ct).ConfigureAwait(false);
            if (n == 0) break;
            end += n;
            start += Parse(rb.AsSpan(start, end - start), size, ref expect);
            if (start == end) start = end = 0;
        }
        if (start != end)
            throw new InvalidDataException($"pkt: {end - start} trailing bytes after {expect} packets");
        return expect;
    }

    private static int Parse(ReadOnlySpan<byte> data, int size, ref long expect)
    {
        var used = 0;
        while (data.Length - used >= 4)
        {
            var len = BinaryPrimitives.ReadUInt32BigEndian(data[used..]);
            if (len != size) throw new InvalidDataException($"pkt: bad length {len} at packet {expect}");
            if (data.Length - used < 4 + size) break;
            var payload = data.Slice(used + 4, size);
            var seq = BinaryPrimitives.ReadUInt64BigEndian(payload);
            if (seq != (ulong)expect || payload[size - 1] != (byte)expect)
                throw new InvalidDataException($"pkt: bad sequence {seq}, expected {expect}");
            expect++;
            used += 4 + size;
        }
        return used;
    }

    // ---------------------------------------------------------------- rtt

    /// <summary>One 64-byte packet out and back, <paramref name="iters"/> times after a warm-up; latencies in µs.</summary>
    public static async Task<double[]> RttAsync(Stream w, Stream r, int warm, int iters, CancellationToken ct = default)
    {
        const int size = 64;
        var pkt = new byte[4 + size];
        var back = new byte[4 + size];
        BinaryPrimitives.WriteUInt32BigEndian(pkt, size);
        for (var i = 0; i < size; i++) pkt[4 + i] = PatternByte(i);
        var lat = new double[iters];
        for (var it = 0; it < warm + iters; it++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(pkt.AsSpan(4), (ulong)it);
            pkt[^1] = (byte)it;
            var t0 = Stopwatch.GetTimestamp();
            await w.WriteAsync(pkt, ct).ConfigureAwait(false);
            await r.ReadExactlyAsync(back, ct).ConfigureAwait(false);
            var t1 = Stopwatch.GetTimestamp();
            if (BinaryPrimitives.ReadUInt32BigEndian(back) != size ||
                BinaryPrimitives.ReadUInt64BigEndian(back.AsSpan(4)) != (ulong)it)
                throw new InvalidDataException($"rtt: bad echo at {it}");
            if (it >= warm) lat[it - warm] = Seconds(t0, t1) * 1e6;
        }
        return lat;
    }

    public static (double P50, double P99) Percentiles(double[] lat)
    {
        Array.Sort(lat);
        return (lat[lat.Length / 2], lat[lat.Length * 99 / 100]);
    }

    // -------------------------------------------------------------- spawn

    /// <summary>Keeps <paramref name="inFlight"/> spawns going until the time is up; returns (spawns/s, count).</summary>
    public static async Task<(double PerSecond, long Count)> SpawnRateAsync(Func<Task> spawnOne, int inFlight, double seconds)
    {
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Deadline(seconds);
        long done = 0;
        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await spawnOne().ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }
        var workers = new Task[inFlight];
        for (var i = 0; i < inFlight; i++) workers[i] = Task.Run(Worker);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var el = Seconds(t0, Stopwatch.GetTimestamp());
        return (done / el, done);
    }

    /// <summary>
    /// Awaits a writer and a reader; if either fails first, kills the child so the other
    /// cannot block forever on a full pipe, and rethrows the first failure.
    /// </summary>
    public static async Task<(long Sent, long Received)> BothAsync(Task<long> writer, Task<long> reader, Action kill)
    {
        var first = await Task.WhenAny(writer, reader).ConfigureAwait(false);
        if (first.IsFaulted || first.IsCanceled)
        {
            try { kill(); } catch (InvalidOperationException) { /* already exited */ }
            await first.ConfigureAwait(false); // throws the root cause
        }
        try
        {
            return (await writer.ConfigureAwait(false), await reader.ConfigureAwait(false));
        }
        catch
        {
            try { kill(); } catch (InvalidOperationException) { }
            throw;
        }
    }

    // ------------------------------------------------------------- trials

    /// <summary>Command line shared by both programs: TEST [SECS [TRIALS]].</summary>
    public sealed record Options(string Test, double Seconds, int Trials)
    {
        public static Options Parse(string[] args) => new(
            args.Length > 0 ? args[0] : "all",
            args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);

        public bool Runs(string test) => Test == "all" || Test == test || (test.StartsWith("pkt") && Test == "pkt");
    }

    /// <summary>Runs <paramref name="trial"/> several times, printing each; returns (median, total count).</summary>
    public static async Task<(double Median, long Total)> TrialsAsync(string impl, string key, int trials, Func<Task<(double Value, long Count)>> trial)
    {
        var values = new double[trials];
        long total = 0;
        for (var t = 0; t < trials; t++)
        {
            var (v, n) = await trial().ConfigureAwait(false);
            values[t] = v;
            total += n;
            Console.WriteLine($"TRIAL {impl} {key} {v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        Array.Sort(values);
        var median = trials % 2 == 1 ? values[trials / 2] : (values[trials / 2 - 1] + values[trials / 2]) / 2;
        return (median, total);
    }

    /// <summary>A warm-up run, then the trials of raw throughput, printed as CHECK and RESULT lines.</summary>
    public static async Task MeasureRawAsync(string impl, Options opt, Func<double, Task<(double MBps, long Bytes)>> run)
    {
        await run(WarmupSeconds).ConfigureAwait(false);
        var (mbps, bytes) = await TrialsAsync(impl, "raw.MBps", opt.Trials, () => run(opt.Seconds)).ConfigureAwait(false);
        Check(impl, $"raw ok bytes={bytes} verified=all");
        Result(impl, "raw.MBps", mbps, "F1");
    }

    /// <summary>
    /// A warm-up run, then the trials of <paramref name="size"/>-byte packets, printed as CHECK and
    /// RESULT lines (packets/s and MB/s); <paramref name="onTrials"/> runs after the warm-up and
    /// returns what runs after the trials, with the number of packets.
    /// </summary>
    public static async Task MeasurePacketsAsync(string impl, Options opt, int size, Func<int, double, Task<(double Pps, long Count)>> run, Func<Action<long>>? onTrials = null)
    {
        await run(size, WarmupSeconds).ConfigureAwait(false);
        var after = onTrials?.Invoke();
        var (pps, n) = await TrialsAsync(impl, Key(size) + ".pps", opt.Trials, () => run(size, opt.Seconds)).ConfigureAwait(false);
        after?.Invoke(n);
        Check(impl, $"{Key(size)} ok packets={n}");
        Result(impl, Key(size) + ".pps", pps, "F0");
        Result(impl, Key(size) + ".MBps", pps * size / 1e6, "F1");
    }

    /// <summary>0.3 s of warm-up, then the trials of <paramref name="spawnOne"/> with <paramref name="inFlight"/> at a time, printed as CHECK and RESULT lines.</summary>
    public static async Task MeasureSpawnsAsync(string impl, Options opt, Func<Task> spawnOne, int inFlight, string key)
    {
        await SpawnRateAsync(spawnOne, inFlight, 0.3).ConfigureAwait(false);
        var (perS, n) = await TrialsAsync(impl, key + ".per_s", opt.Trials, () => SpawnRateAsync(spawnOne, inFlight, opt.Seconds)).ConfigureAwait(false);
        Check(impl, $"{key} ok spawns={n}");
        Result(impl, key + ".per_s", perS, "F0");
    }

    /// <summary>The port counts of the many-ports test: on two vCPUs they show per-port overhead, not parallel scaling.</summary>
    public static readonly int[] ManyCounts = [1, 4, 16, 64];

    /// <summary>
    /// Many ports at once: for each of <see cref="ManyCounts"/>, <paramref name="streamOne"/> (raw
    /// 64 KiB chunks through one cat, every byte checked, returning the bytes received) runs that
    /// many times side by side. Prints aggregate MB/s and CPU seconds per GB (this process and its
    /// reaped children, cat included), medians of the trials.
    /// </summary>
    public static async Task MeasureManyAsync(string impl, Options opt, Func<double, Task<long>> streamOne)
    {
        foreach (int n in ManyCounts)
        {
            async Task<(double MBps, double CpuPerGB, long Bytes)> Once(double seconds)
            {
                double cpu0 = CpuSeconds();
                long t0 = Stopwatch.GetTimestamp();
                var bytes = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => streamOne(seconds))).ConfigureAwait(false);
                double elapsed = Seconds(t0, Stopwatch.GetTimestamp());
                long total = bytes.Sum();
                return (total / elapsed / 1e6, (CpuSeconds() - cpu0) / (total / 1e9), total);
            }
            await Once(WarmupSeconds).ConfigureAwait(false);
            var cpu = new List<double>();
            var (mbps, total) = await TrialsAsync(impl, $"many{n}.MBps", opt.Trials, async () =>
            {
                var r = await Once(opt.Seconds).ConfigureAwait(false);
                cpu.Add(r.CpuPerGB);
                return (r.MBps, r.Bytes);
            }).ConfigureAwait(false);
            cpu.Sort();
            Check(impl, $"many{n} ok ports={n} bytes={total} verified=all");
            Result(impl, $"many{n}.MBps", mbps, "F1");
            Result(impl, $"many{n}.cpu_s_per_GB", cpu[cpu.Count / 2], "F2");
        }
    }

    /// <summary>CPU seconds used so far by this process and its reaped children (utime, stime, cutime, cstime of /proc/self/stat).</summary>
    private static double CpuSeconds()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // from field 3 (state) on
        long ticks = 0;
        for (int i = 11; i <= 14; i++) ticks += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0; // USER_HZ
    }

    /// <summary>Runs the tests of one implementation: 0, or 1 after a FAIL line naming the first failure (every trial is verified, so no number comes from a broken run).</summary>
    public static async Task<int> RunTestsAsync(string impl, Func<Task> tests)
    {
        try
        {
            await tests().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAIL {impl} {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    // ------------------------------------------------------------- output

    public static string Key(int size) => size switch { 64 => "pkt64", 1024 => "pkt1k", 65536 => "pkt64k", _ => $"pkt{size}" };

    public static void Result(string impl, string key, double value, string format) =>
        Console.WriteLine($"RESULT {impl} {key} {value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}");

    public static void Check(string impl, string what) => Console.WriteLine($"CHECK {impl} {what}");

    public static void Info(string impl, string what) => Console.WriteLine($"INFO {impl} {what}");
}

// ProcessBench — the .NET baseline: System.Diagnostics.Process, no extra packages.
// (The team's anchor shared/anchors/dotnet/ProcessBench, unchanged in behaviour.)
// /bin/cat with redirected stdin/stdout; one task writes {packet,4} frames to
// StandardInput.BaseStream, another parses them from StandardOutput.BaseStream.
// Spawn rate: Process.Start("/bin/true") + WaitForExitAsync, sequential and 8 in flight.
using System.Diagnostics;
using System.Runtime;

namespace ReactivePorts.Benchmarks.Compare;

internal static class ProcessBench
{
    private const string Impl = "dotnet";

    public static async Task<int> RunAsync(Bench.Options opt)
    {
        Bench.Info(Impl, $"runtime {Environment.Version} cpus {Environment.ProcessorCount} serverGC {GCSettings.IsServerGC} test {opt.Test} secs {opt.Seconds} trials {opt.Trials}");
        return await Bench.RunTestsAsync(Impl, async () =>
        {
            if (opt.Runs("raw")) await Bench.MeasureRawAsync(Impl, opt, RunRaw);
            foreach (var size in new[] { 64, 1024, 65536 })
                if (opt.Runs(Bench.Key(size))) await Bench.MeasurePacketsAsync(Impl, opt, size, RunPkt);
            if (opt.Runs("rtt")) await Rtt();
            if (opt.Runs("spawn")) await Bench.MeasureSpawnsAsync(Impl, opt, SpawnTrue, 1, "spawn1");
            if (opt.Runs("spawn")) await Bench.MeasureSpawnsAsync(Impl, opt, SpawnTrue, 8, "spawn8");
            if (opt.Runs("many")) await Bench.MeasureManyAsync(Impl, opt, async seconds => (await RunRaw(seconds)).Bytes);
        });
    }

    private static Process StartCat()
    {
        var psi = new ProcessStartInfo("/bin/cat")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        return Process.Start(psi) ?? throw new InvalidOperationException("cat did not start");
    }

    private static async Task EndCat(Process p)
    {
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"cat exited with {p.ExitCode}");
    }

    private static async Task<(double MBps, long Bytes)> RunRaw(double seconds)
    {
        const int readBuffer = 256 * 1024;
        var pattern = Bench.RawPattern(readBuffer);
        using var p = StartCat();
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        var writer = Task.Run(async () =>
        {
            var n = await Bench.WriteRawAsync(p.StandardInput.BaseStream, pattern, deadline);
            p.StandardInput.Close();
            return n;
        });
        var reader = Task.Run(() => Bench.ReadRawAsync(p.StandardOutput.BaseStream, pattern, readBuffer));
        var (sent, recvd) = await Bench.BothAsync(writer, reader, () => p.Kill());
        var el = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        await EndCat(p);
        if (sent != recvd) throw new InvalidDataException($"raw: sent {sent} bytes, got back {recvd}");
        return (recvd / el / 1e6, recvd);
    }

    private static async Task<(double Pps, long Count)> RunPkt(int size, double seconds)
    {
        using var p = StartCat();
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        var writer = Task.Run(async () =>
        {
            var n = await Bench.WritePacketsAsync(p.StandardInput.BaseStream, size, deadline);
            p.StandardInput.Close();
            return n;
        });
        var reader = Task.Run(() => Bench.ReadPacketsAsync(p.StandardOutput.BaseStream, size));
        var (sent, recvd) = await Bench.BothAsync(writer, reader, () => p.Kill());
        var el = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        await EndCat(p);
        if (sent != recvd) throw new InvalidDataException($"pkt: sent {sent} packets, got back {recvd}");
        return (recvd / el, recvd);
    }

    private static async Task Rtt()
    {
        using var p = StartCat();
        var lat = await Bench.RttAsync(p.StandardInput.BaseStream, p.StandardOutput.BaseStream, 2000, 20000);
        p.StandardInput.Close();
        if (await p.StandardOutput.BaseStream.ReadAsync(new byte[1]) != 0) throw new InvalidDataException("rtt: trailing data");
        await EndCat(p);
        var (p50, p99) = Bench.Percentiles(lat);
        Bench.Check(Impl, "rtt ok echoes=20000");
        Bench.Result(Impl, "rtt.p50us", p50, "F1");
        Bench.Result(Impl, "rtt.p99us", p99, "F1");
    }

    private static async Task SpawnTrue()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })
            ?? throw new InvalidOperationException("true did not start");
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"/bin/true exited with {p.ExitCode}");
    }
}

// CliWrapBench — CliWrap 3.10.5, the popular process wrapper.
// (The team's anchor shared/anchors/dotnet/CliWrapBench, unchanged in behaviour.)
// Throughput: Cli.Wrap("/bin/cat") with PipeSource.Create (writes the same {packet,4}
// frames as ProcessBench) and PipeTarget.Create (parses and checks them), ExecuteAsync.
// Spawn rate: Cli.Wrap("/bin/true").ExecuteAsync(), sequential and 8 in flight.
// No RTT test: CliWrap has no request/response API; its pipes are one-shot streams.
using System.Diagnostics;
using System.Runtime;
using CliWrap;

namespace ReactivePorts.Benchmarks.Compare;

internal static class CliWrapBench
{
    private const string Impl = "cliwrap";

    public static async Task<int> RunAsync(Bench.Options opt)
    {
        Bench.Info(Impl, $"CliWrap {typeof(Cli).Assembly.GetName().Version} runtime {Environment.Version} serverGC {GCSettings.IsServerGC} test {opt.Test} secs {opt.Seconds} trials {opt.Trials}");
        return await Bench.RunTestsAsync(Impl, async () =>
        {
            if (opt.Runs("raw")) await Bench.MeasureRawAsync(Impl, opt, RunRaw);
            foreach (var size in new[] { 64, 1024, 65536 })
                if (opt.Runs(Bench.Key(size))) await Bench.MeasurePacketsAsync(Impl, opt, size, RunPkt);
            if (opt.Runs("spawn")) await Bench.MeasureSpawnsAsync(Impl, opt, SpawnTrue, 1, "spawn1");
            if (opt.Runs("spawn")) await Bench.MeasureSpawnsAsync(Impl, opt, SpawnTrue, 8, "spawn8");
        });
    }

    // CliWrap waits for the process to exit before it surfaces a pipe delegate's failure; if the
    // reader fails, cat blocks on its full stdout and never exits. So a failing delegate cancels
    // the command (CliWrap then kills cat) and the delegate's own exception is rethrown.
    private static async Task<CommandResult> Guarded(Func<FailureWatch, Task<CommandResult>> run)
    {
        using var watch = new FailureWatch();
        try
        {
            return await run(watch);
        }
        catch (OperationCanceledException) when (watch.Failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(watch.Failure);
            throw;
        }
    }

    private static async Task<(double MBps, long Bytes)> RunRaw(double seconds)
    {
        const int readBuffer = 256 * 1024;
        var pattern = Bench.RawPattern(readBuffer);
        long sent = 0, recvd = 0;
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        var result = await Guarded(cts => Cli.Wrap("/bin/cat")
            .WithStandardInputPipe(PipeSource.Create(async (stdin, ct) =>
                sent = await cts.Watch(Bench.WriteRawAsync(stdin, pattern, deadline, ct))))
            .WithStandardOutputPipe(PipeTarget.Create(async (stdout, ct) =>
                recvd = await cts.Watch(Bench.ReadRawAsync(stdout, pattern, readBuffer, ct))))
            .ExecuteAsync(cts.Token));
        var el = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        if (result.ExitCode != 0) throw new InvalidOperationException($"cat exited with {result.ExitCode}");
        if (sent != recvd) throw new InvalidDataException($"raw: sent {sent} bytes, got back {recvd}");
        return (recvd / el / 1e6, recvd);
    }

    private static async Task<(double Pps, long Count)> RunPkt(int size, double seconds)
    {
        long sent = 0, recvd = 0;
        var t0 = Stopwatch.GetTimestamp();
        var deadline = Bench.Deadline(seconds);
        var result = await Guarded(cts => Cli.Wrap("/bin/cat")
            .WithStandardInputPipe(PipeSource.Create(async (stdin, ct) =>
                sent = await cts.Watch(Bench.WritePacketsAsync(stdin, size, deadline, ct))))
            .WithStandardOutputPipe(PipeTarget.Create(async (stdout, ct) =>
                recvd = await cts.Watch(Bench.ReadPacketsAsync(stdout, size, ct))))
            .ExecuteAsync(cts.Token));
        var el = Bench.Seconds(t0, Stopwatch.GetTimestamp());
        if (result.ExitCode != 0) throw new InvalidOperationException($"cat exited with {result.ExitCode}");
        if (sent != recvd) throw new InvalidDataException($"pkt: sent {sent} packets, got back {recvd}");
        return (recvd / el, recvd);
    }

    private static async Task SpawnTrue()
    {
        // ExecuteAsync validates a zero exit code by default (throws CommandExecutionException otherwise).
        var r = await Cli.Wrap("/bin/true").ExecuteAsync();
        if (r.ExitCode != 0) throw new InvalidOperationException($"/bin/true exited with {r.ExitCode}");
    }

    private sealed class FailureWatch : IDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        public Exception? Failure { get; private set; }
        public CancellationToken Token => _cts.Token;

        public async Task<long> Watch(Task<long> task)
        {
            try
            {
                return await task;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failure ??= e;
                _cts.Cancel();
                throw;
            }
        }

        public void Dispose() => _cts.Dispose();
    }
}

using System.Reactive.Concurrency;
using ReactivePorts.Reliability.Tests.Invariants;
using ReactivePorts.Reliability.Tests.Native;
using ReactivePorts.Tests.Ports;
using Xunit.Abstractions;

namespace ReactivePorts.Reliability.Tests.Bytes;

/// <summary>
/// Children write random amounts of a seeded stream in random chunks and die mid-stream (exit,
/// SIGKILL, SIGSEGV, abort): everything they wrote arrives, checked byte by byte, before the exit
/// status; with slow subscribers too, and then the child blocks instead of memory growing.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class NoLostBytesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Deaths => ["exit:0", "exit:7", "kill", "segv", "abort"];

    [Theory(Timeout = 120000)]
    [MemberData(nameof(Deaths))]
    public async Task ChildDiesMidStream_EveryByteArrives_BeforeTheExitStatus(string end)
    {
        var random = new Random(ReliabilitySettings.Seed ^ end.GetHashCode(StringComparison.Ordinal));
        var runs = Enumerable.Range(0, ReliabilitySettings.Children).Select(_ =>
        {
            ulong seed = (ulong)random.NextInt64(1, long.MaxValue);
            // Mostly under a pipe's worth, some far over it (the child blocks and is resumed many times).
            long total = random.Next(4) == 0 ? random.Next(1 << 20, 4 << 20) : random.Next(0, 100_000);
            int maxChunk = random.Next(3) switch { 0 => random.Next(1, 16), 1 => random.Next(1, 4096), _ => random.Next(1, 256 * 1024) };
            return (Seed: seed, Total: total, MaxChunk: maxChunk);
        }).ToList();

        await using var scope = new PortScope();
        var checks = runs.Select(r => DeliveryCheck.Start(scope.Add(NativeChildren.WriterSpec(r.Seed, r.Total, r.MaxChunk, end).Open()), r.Seed)).ToList();
        await Task.WhenAll(checks.Select(c => c.Completed)).WaitAsync(Timeout);
        long bytes = 0;
        for (int i = 0; i < runs.Count; i++)
        {
            var (seed, total, maxChunk) = runs[i];
            var status = await checks[i].Port.Exit.WaitAsync(Timeout);
            string what = $"child {i} (seed {seed}, {total} bytes in chunks of 1..{maxChunk}, {end})";
            Assert.True(checks[i].Problem(total) is null, $"{what}: {checks[i].Problem(total)}");
            Assert.Equal(VerifierChecksum(seed, total), checks[i].Verifier.Checksum);
            Assert.True(ExpectedStatus(end, status), $"{what}: {status}");
            Assert.False(PortTestKit.IsZombie(checks[i].Port.OsPid!.Value));
            bytes += total;
        }
        output.WriteLine($"{runs.Count} children ({end}): {bytes:N0} bytes checked");
    }

    [Theory(Timeout = 120000)]
    [InlineData("exit:0")]
    [InlineData("kill")]
    [InlineData("segv")]
    public async Task SlowSubscriber_ChildBlocks_MemoryStaysBounded_EveryByteArrives(string end)
    {
        const long total = 16 << 20;
        const int capacity = 4;
        ulong seed = (ulong)ReliabilitySettings.Seed * 31 + (ulong)end.Length;
        await using var scope = new PortScope();
        var port = scope.Open(NativeChildren.WriterSpec(seed, total, 65536, end));
        using var release = new ManualResetEventSlim();
        using var consumer = new EventLoopScheduler();
        var check = DeliveryCheck.Start(port, seed, consumer, capacity, onPacket: _ => release.Wait(Timeout));

        // The subscriber holds its first packet: the hand-off fills, the port stops reading, the pipe
        // fills, and the child blocks in write(2) — it neither exits nor writes on.
        int pid = port.OsPid!.Value;
        long written = await WaitUntilWritingStops(pid);
        long heapWhileHeld = GC.GetTotalMemory(forceFullCollection: false);
        Assert.False(port.Exit.IsCompleted, "the child finished although nobody read its output");
        Assert.True(written < 4 << 20, $"the child wrote {written:N0} bytes while nobody read");
        release.Set();

        await check.Completed.WaitAsync(Timeout);
        var status = await port.Exit.WaitAsync(Timeout);
        Assert.Null(check.Problem(total));
        Assert.True(ExpectedStatus(end, status), status.ToString());
        output.WriteLine($"{end}: the held subscriber stopped the child after {written:N0} of {total:N0} bytes (heap {heapWhileHeld:N0}); then all {check.Verifier.Count:N0} bytes arrived intact; {status}");
    }

    private static ulong VerifierChecksum(ulong seed, long total) => StreamVerifier.ExpectedChecksum(seed, total);

    private static bool ExpectedStatus(string end, ExitStatus status) => end switch
    {
        "exit:0" => status.ExitCode == 0,
        "exit:7" => status.ExitCode == 7,
        "kill" => status.Signal == 9,
        "segv" => status.Signal == 11,
        "abort" => status.Signal == 6,
        _ => false,
    };

    /// <summary>
    /// The child's written byte count (/proc/PID/io, wchar) once it stays the same over several looks
    /// and the child sleeps. Polling: the kernel tells nobody that a writer blocked.
    /// </summary>
    private static async Task<long> WaitUntilWritingStops(int pid)
    {
        var deadline = DateTime.UtcNow + Timeout;
        long last = -1;
        int stable = 0;
        while (DateTime.UtcNow < deadline)
        {
            string io = await File.ReadAllTextAsync($"/proc/{pid}/io");
            long wchar = long.Parse(io.Split('\n').First(l => l.StartsWith("wchar:", StringComparison.Ordinal))[6..].Trim());
            stable = wchar == last ? stable + 1 : 0;
            last = wchar;
            if (stable >= 5 && wchar > 0) return wchar;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the child never stopped writing ({last} bytes written)");
    }
}

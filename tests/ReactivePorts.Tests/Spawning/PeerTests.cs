using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using ReactivePorts.Interop;
using ReactivePortsPeer;
using Xunit.Abstractions;

namespace ReactivePorts.Tests.Spawning;

/// <summary>The peer's stream commands, driven through the spawner, plus a few measurements printed to the test log.</summary>
public class PeerTests(ITestOutputHelper output)
{
    [Theory(Timeout = Bounded.Timeout)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public Task LengthPrefixEcho_Frames_ComeBackFramedTheSameWay(int prefix) => Bounded.Run(() =>
    {
        int[] sizes = prefix == 1 ? [0, 1, 200, 255] : [0, 1, 255, 256, 40_000];
        var sent = new MemoryStream();
        foreach (int size in sizes)
        {
            byte[] header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)size);
            sent.Write(header, 4 - prefix, prefix);
            byte[] payload = new byte[size];
            FloodPattern.Fill(payload, size);
            sent.Write(payload);
        }

        using var run = ChildRun.StartPeer(pipeStdin: true, "lp-echo", $"{prefix}");
        Task writer = Task.Run(() =>
        {
            Fds.WriteAll(run.Stdin!, sent.ToArray(), 10000);
            run.Stdin!.Dispose();
        });
        byte[] echoed = Fds.ReadToEnd(run.Stdout, 10000);
        writer.GetAwaiter().GetResult();
        Assert.Equal(sent.ToArray(), echoed);
        Assert.True(run.WaitForExit().Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task LengthPrefixEcho_EndOfFileInsideAFrame_Exits65() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer(pipeStdin: true, "lp-echo", "2");
        Fds.WriteAll(run.Stdin!, [0, 10, (byte)'a'], 5000);
        Assert.Equal(65, run.Complete().Status.ExitCode);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Flood_SmallChunks_DeliversThePatternInOrder() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("flood", "100003", "7");
        var (stdout, _, status) = run.Complete();
        Assert.Equal(100003, stdout.Length);
        Assert.Equal(-1, FloodPattern.FirstMismatch(stdout));
        Assert.True(status.Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task NeverRead_FillsThePipe_WriterGetsEagainAtCapacity() => Bounded.Run(() =>
    {
        // A child that never reads: a non-blocking writer is stopped by EAGAIN exactly at the pipe's size
        // (what Erlang's busy port waits on), and a bigger pipe holds more before that.
        foreach (int size in new[] { 0, 1 << 20 })
        {
            using var run = ChildRun.StartPeer(pipeStdin: true, "never-read", "30000");
            if (size > 0) Assert.Equal(size, Libc.SetPipeSize(run.Stdin!, size));
            int capacity = Libc.GetPipeSize(run.Stdin!);
            byte[] chunk = new byte[4096];
            long written = 0;
            nint n;
            while ((n = Libc.Write(run.Stdin!.Fd, chunk)) > 0) written += n;
            Assert.Equal(-Libc.EAGAIN, n);
            Assert.Equal(capacity, written);
            output.WriteLine($"pipe of {capacity} bytes: {written} bytes written before EAGAIN");
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Measure_StartToExit_PeerAndTrue() => Bounded.Run(() =>
    {
        // Not a benchmark: orders of magnitude for the report, with a generous sanity bound.
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

        var peer = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var run = ChildRun.StartPeer("exit", "0");
            Assert.True(run.WaitForExit().Success);
            peer.Add(clock.Elapsed.TotalMilliseconds);
        }

        var spawn = new List<double>();
        var process = new List<double>();
        for (int i = 0; i < 50; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var run = ChildRun.Start("/bin/true", [Encoding.UTF8.GetBytes("true")]))
                Assert.True(run.WaitForExit().Success);
            spawn.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            using (Process p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                p.WaitForExit();
                Assert.Equal(0, p.ExitCode);
            }
            process.Add(clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"peer (dotnet) start→exit median {Median(peer):F1} ms; /bin/true via Spawner {Median(spawn):F2} ms, via Process {Median(process):F2} ms (medians)");
        Assert.True(Median(peer) < 5000);
    });
}

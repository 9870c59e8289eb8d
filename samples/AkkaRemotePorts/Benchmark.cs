using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactivePorts;
using ReactivePorts.Akka;
using ReactivePorts.Framing;

/// <summary>
/// Packets per second through cat with {packet,4}: the plain port (WriteAsync in, Output out) against
/// the same port as an Akka.Streams flow, in one run. Wall-clock numbers: run it on a quiet machine.
/// </summary>
internal static class Benchmark
{
    private const int Rounds = 3;

    public static async Task<int> RunAsync()
    {
        var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        Console.WriteLine($"{"payload",8} {"packets",8} {"plain port",14} {"Akka flow",14}  (packets/s, best of {Rounds})");
        foreach (var (size, count) in new[] { (64, 200_000), (1024, 200_000), (16 * 1024, 50_000) })
        {
            var payload = new byte[size];
            await Plain(payload, count / 10); // warm-up
            await ThroughFlow(payload, count / 10, materializer);
            double plain = 0, flow = 0;
            for (int round = 0; round < Rounds; round++)
            {
                plain = Math.Max(plain, await Plain(payload, count));
                flow = Math.Max(flow, await ThroughFlow(payload, count, materializer));
            }
            Console.WriteLine($"{size,8} {count,8} {plain,14:N0} {flow,14:N0}  (flow/plain {flow / plain:P0})");
        }
        await system.Terminate();
        return 0;
    }

    private static SpawnSpec Cat() => Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4));

    /// <summary>The plain port: one writer awaiting WriteAsync, packets counted on the loop thread.</summary>
    private static async Task<double> Plain(byte[] payload, int count)
    {
        await using var port = Cat().Open();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        using var output = port.Output.Subscribe(_ => { if (++received == count) done.TrySetResult(); });
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) await port.WriteAsync(payload);
        await done.Task;
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The same through <see cref="PortStreams.Flow(Func{Port})"/>: Repeat → flow → count.</summary>
    private static async Task<double> ThroughFlow(byte[] payload, int count, IMaterializer materializer)
    {
        var clock = Stopwatch.StartNew();
        int received = await Source.Repeat((ReadOnlyMemory<byte>)payload).Take(count)
            .Via(PortStreams.Flow(Cat()))
            .RunWith(Sink.Aggregate<Packet, int>(0, (n, _) => n + 1), materializer);
        if (received != count) throw new InvalidOperationException($"{received} of {count} packets came back");
        return count / clock.Elapsed.TotalSeconds;
    }
}

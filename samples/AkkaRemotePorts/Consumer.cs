using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

/// <summary>
/// The second process: sends work to the host's port through a SinkRef as fast as it is taken, and
/// reads the answers through a SourceRef, slowly at first. What it has sent and not yet received
/// is everything in flight (stream refs, port queue, pipes, the child): it stays bounded.
/// </summary>
internal static class Consumer
{
    private const int Items = 3000;
    private const int ItemSize = 4096;
    private const int SlowItems = 300;
    private static readonly TimeSpan SlowPace = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string hostAddress)
    {
        var system = Remoting.Start("consumer");
        var materializer = system.Materializer();
        var ports = await system.ActorSelection($"{hostAddress}/user/{Remoting.PortsActor}").ResolveOne(Timeout);
        var input = await ports.Ask<ISinkRef<byte[]>>(PortsActor.Open, Timeout);
        var output = await ports.Ask<ISourceRef<byte[]>>(PortsActor.Output, Timeout);
        Console.WriteLine($"connected to {ports.Path} from {Remoting.AddressOf(system)}");

        long sent = 0, received = 0, maxInFlight = 0, inFlightWhenSlowEnded = 0;
        int outOfOrder = 0;
        Source.From(Enumerable.Range(0, Items))
            .Select(i =>
            {
                Interlocked.Increment(ref sent);
                var item = new byte[ItemSize];
                BitConverter.TryWriteBytes(item, i);
                return item;
            })
            .RunWith(input.Sink, materializer);
        var receiving = output.Source
            .SelectAsync(1, async item =>
            {
                long n = ++received;
                if (BitConverter.ToInt32(item) != n - 1) outOfOrder++;
                long inFlight = Interlocked.Read(ref sent) - n;
                maxInFlight = Math.Max(maxInFlight, inFlight);
                if (n <= SlowItems) await Task.Delay(SlowPace); // a slow consumer at first
                if (n == SlowItems) inFlightWhenSlowEnded = inFlight;
                if (n % 300 == 0)
                    Console.WriteLine($"received {n,5}, sent {Interlocked.Read(ref sent),5}, in flight {inFlight,4} ({inFlight * ItemSize / 1024} KiB){(n <= SlowItems ? "  <- slow" : "")}");
                return n;
            })
            .RunWith(Sink.Ignore<long>(), materializer);
        await receiving.WaitAsync(TimeSpan.FromMinutes(2));

        // Had anything buffered without bound, the sender would have sent all its items while the
        // consumer was still slow: in flight would have reached Items - SlowItems.
        bool bounded = maxInFlight < Items / 4;
        Console.WriteLine($"done: {received} of {Items} items back, in order: {outOfOrder == 0}; " +
            $"at most {maxInFlight} items ({maxInFlight * ItemSize / 1024} KiB) in flight, {inFlightWhenSlowEnded} when the slow phase ended " +
            $"(unbounded buffering would have reached {Items - SlowItems}): {(bounded ? "bounded" : "NOT bounded")}");
        await system.Terminate();
        return received == Items && outOfOrder == 0 && bounded ? 0 : 1;
    }
}

using System.Text;
using Akka.Actor;
using Akka.Streams;
using ReactivePorts;
using ReactivePorts.Framing;

/// <summary>The first process: an actor system that runs the worker port, and watches it while the consumer works.</summary>
internal static class Host
{
    public static async Task<int> RunAsync()
    {
        var system = Remoting.Start("host");
        var opened = new TaskCompletionSource<Port>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new PortsActor(system.Materializer(), p => opened.TrySetResult(p))), Remoting.PortsActor);
        var address = Remoting.AddressOf(system);
        Console.WriteLine($"host     | actor system listening at {address}; starting the consumer in its own process");

        // The consumer is this program again, in a second process, started through a port so its
        // output arrives here line by line.
        var (program, arguments) = Self();
        await using var consumer = Port.SpawnExecutable(program)
            .WithArguments([.. arguments, "consumer", address.ToString()])
            .WithFraming(FrameFormat.Line())
            .Open();
        using var lines = consumer.Output.Subscribe(line => Console.WriteLine("consumer | " + Encoding.UTF8.GetString(line.Payload.Span)));

        var worker = await opened.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"host     | worker port open: cat, pid {worker.OsPid}");
        long maxQueue = 0;
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (!consumer.Exit.IsCompleted)
        {
            await Task.WhenAny(consumer.Exit, ticks.WaitForNextTickAsync().AsTask());
            var info = worker.GetInfo();
            maxQueue = Math.Max(maxQueue, info.QueueSize);
            Console.WriteLine($"host     | worker: {info.BytesWritten / 1024,6} KiB in, {info.BytesRead / 1024,6} KiB out, queue {info.QueueSize,5} B, busy {info.IsBusy}");
        }
        var status = await consumer.Exit;
        await worker.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"host     | consumer exited ({status}); worker port ended ({await worker.Exit}); largest queue seen {maxQueue} B");
        await system.Terminate();
        return status.Success ? 0 : 1;
    }

    /// <summary>How to start this program again: its apphost, or dotnet with its dll.</summary>
    private static (string Program, string[] Arguments) Self()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The program's path is unknown.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(Host).Assembly.Location])
            : (process, []);
    }
}

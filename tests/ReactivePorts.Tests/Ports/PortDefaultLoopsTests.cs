using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Ports;

/// <summary>Ports opened without a scheduler of their own share the process-wide default loops, one per processor.</summary>
public sealed class PortDefaultLoopsTests
{
    [Fact(Timeout = 30000)]
    public async Task Open_WithoutScheduler_SpreadsPortsOverOneDefaultLoopPerProcessor()
    {
        var ports = new List<Port>();
        try
        {
            // Taken in turn: among 8 per processor, every default loop gets some (other tests may open
            // ports meanwhile, which only shifts whose turn it is).
            for (int i = 0; i < 8 * Environment.ProcessorCount; i++) ports.Add(Port.SpawnExecutable("/bin/cat").Open());
            var loops = ports.Select(p => p.Scheduler).Distinct().ToList();
            Assert.Equal(Environment.ProcessorCount, loops.Count);
            Assert.Contains(PollScheduler.Default, loops);
            Assert.All(loops, loop => Assert.False(loop.IsDisposed));
            // Shared by every port opened without a scheduler: Dispose leaves them running, as Default.
            foreach (var loop in loops) loop.Dispose();
            Assert.All(loops, loop => Assert.False(loop.IsDisposed));
            // Each serves its ports: an echo through every one.
            foreach (var port in ports)
            {
                var echoed = port.Output.FirstAsync().ToTask();
                await port.WriteAsync("ping"u8.ToArray()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal("ping"u8.ToArray(), (await echoed.WaitAsync(TimeSpan.FromSeconds(10))).Payload.ToArray());
            }
        }
        finally
        {
            foreach (var port in ports) await port.DisposeAsync();
        }
    }
}

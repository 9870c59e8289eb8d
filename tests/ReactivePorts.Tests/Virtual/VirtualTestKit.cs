using System.Text;
using ReactivePorts.Testing;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Tests.Virtual;

/// <summary>Transcripts of ports in virtual time: every event and the output's end, with the tick it came at.</summary>
internal static class VirtualTestKit
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Subscribes to the port's events and output; the list fills as the clock runs ("101 Data(a)", "301 completed").</summary>
    public static List<string> Record(Port port, TestScheduler clock)
    {
        var log = new List<string>();
        port.Events.Subscribe(e => log.Add($"{clock.Clock} {Describe(e)}"));
        port.Output.Subscribe(_ => { }, ex => log.Add($"{clock.Clock} error {ex.GetType().Name}"), () => log.Add($"{clock.Clock} completed"));
        return log;
    }

    /// <summary>The same transcript without ticks, to compare with a real process's.</summary>
    public static List<string> WithoutTicks(IEnumerable<string> transcript) => [.. transcript.Select(l => l[(l.IndexOf(' ') + 1)..])];

    public static string Describe(PortEvent e) => e switch
    {
        PortData d => $"Data({Text(d.Packet.Payload)})",
        _ => e.ToString(),
    };

    /// <summary>The result of a task virtual time has completed (it must have: nothing here waits for real time).</summary>
    public static T Done<T>(Task<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, $"The task has not completed: {task.Status}.");
        return task.Result;
    }

    /// <summary>A fresh world on a fresh clock.</summary>
    public static (TestScheduler Clock, VirtualWorld World) NewWorld(FaultPlan? faults = null)
    {
        var clock = new TestScheduler();
        return (clock, new VirtualWorld(clock, faults));
    }
}

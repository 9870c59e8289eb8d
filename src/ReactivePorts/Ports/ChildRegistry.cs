using System.Collections.Concurrent;

namespace ReactivePorts;

/// <summary>Ports opened with kill-on-application-exit: their children are killed when the application exits normally.</summary>
internal static class ChildRegistry
{
    private static readonly ConcurrentDictionary<Port, byte> s_ports = new();
    private static int s_hooked;

    public static void Add(Port port)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        s_ports.TryAdd(port, 0);
    }

    public static void Remove(Port port) => s_ports.TryRemove(port, out _);

    internal static void KillAll()
    {
        foreach (var port in s_ports.Keys)
        {
            try
            {
                if (!port.Exit.IsCompleted) port.KillAfterClose();
            }
            catch (Exception)
            {
                // The application is exiting: a child that cannot be signalled is already gone.
            }
        }
    }
}

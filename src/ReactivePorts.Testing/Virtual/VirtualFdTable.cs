namespace ReactivePorts.Testing.Virtual;

/// <summary>Fake descriptor numbers for in-memory devices, far above real ones, reused lowest-first like the kernel's.</summary>
internal static class VirtualFdTable
{
    private const int Base = 1 << 24;
    private static readonly object s_gate = new();
    private static readonly SortedSet<int> s_free = new();
    private static readonly Dictionary<int, IVirtualDevice> s_devices = new();
    private static int s_next = Base;

    public static int Allocate(IVirtualDevice device)
    {
        lock (s_gate)
        {
            int fd;
            if (s_free.Count > 0)
            {
                fd = s_free.Min;
                s_free.Remove(fd);
            }
            else
            {
                fd = s_next++;
            }
            s_devices[fd] = device;
            return fd;
        }
    }

    public static void Release(int fd)
    {
        lock (s_gate)
        {
            if (s_devices.Remove(fd)) s_free.Add(fd);
        }
    }

    public static IVirtualDevice? Find(int fd)
    {
        lock (s_gate) return s_devices.GetValueOrDefault(fd);
    }
}

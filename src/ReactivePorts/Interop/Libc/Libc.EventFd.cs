#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    internal const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;

    [LibraryImport(Name, EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFdRaw(uint initval, int flags);

    /// <summary>A non-blocking, close-on-exec eventfd.</summary>
    internal static SafeFdHandle EventFd() =>
        SafeFdHandle.FromResult(EventFdRaw(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");

    /// <summary>Adds one to the eventfd counter (wakes a poller). EAGAIN (counter saturated) is already a wake-up.</summary>
    internal static void EventFdSignal(int fd)
    {
        ulong one = 1;
        Write(fd, MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in one)));
    }

    /// <summary>Resets the eventfd counter to zero.</summary>
    internal static void EventFdDrain(int fd)
    {
        ulong value = 0;
        Read(fd, MemoryMarshal.AsBytes(new Span<ulong>(ref value)));
    }
}

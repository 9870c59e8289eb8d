#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Name, EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadRaw(int fd, byte* buffer, nint count);

    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteRaw(int fd, byte* buffer, nint count);

    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>
    /// read(2), retrying EINTR. Returns the byte count (0 at end of file), or -errno
    /// (so EAGAIN comes back as <c>-EAGAIN</c>, "not ready", never as an exception).
    /// </summary>
    internal static nint Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = ReadRaw(fd, p, buffer.Length);
                if (n >= 0) return n;
                int errno = LastErrno;
                if (errno != EINTR) return -errno;
            }
        }
    }

    /// <summary>write(2), retrying EINTR. Returns the byte count written, or -errno.</summary>
    internal static nint Write(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = WriteRaw(fd, p, buffer.Length);
                if (n >= 0) return n;
                int errno = LastErrno;
                if (errno != EINTR) return -errno;
            }
        }
    }
}

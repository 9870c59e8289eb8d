#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    // asm-generic/fcntl.h values, shared by x86_64 and arm64...
    internal const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000, O_PATH = 0x200000;

    // ...except these two, which arm64 (like arm) defines differently.
    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    internal static readonly int O_DIRECTORY = IsArm ? 0x4000 : 0x10000;
    internal static readonly int O_NOFOLLOW = IsArm ? 0x8000 : 0x20000;

    // open is variadic (mode only matters with O_CREAT); see Libc.Fcntl.cs on the calling convention.
    [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags, int mode);

    /// <summary>
    /// open(2) with O_CLOEXEC always added, retrying EINTR (a FIFO open can block and be interrupted).
    /// Returns 0 and the handle, or -errno and null.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> contains a NUL character.</exception>
    internal static int TryOpen(string path, int flags, int mode, out SafeFdHandle? handle)
    {
        if (path.Contains('\0')) throw new ArgumentException("A path cannot contain a NUL character.", nameof(path));
        return TryOpen(System.Text.Encoding.UTF8.GetBytes(path), flags, mode, out handle);
    }

    [LibraryImport(Name, EntryPoint = "open", SetLastError = true)]
    private static unsafe partial int OpenRaw(byte* path, int flags, int mode);

    /// <summary>As <see cref="TryOpen(string, int, int, out SafeFdHandle?)"/>, on a path given as bytes (no NUL inside).</summary>
    internal static unsafe int TryOpen(ReadOnlySpan<byte> path, int flags, int mode, out SafeFdHandle? handle)
    {
        fixed (byte* p = CString(path))
        {
            while (true)
            {
                int fd = OpenRaw(p, flags | O_CLOEXEC, mode);
                if (fd >= 0)
                {
                    handle = new SafeFdHandle(fd);
                    return 0;
                }
                int errno = LastErrno;
                if (errno != EINTR)
                {
                    handle = null;
                    return -errno;
                }
            }
        }
    }

    /// <summary>open(2) with O_CLOEXEC always added.</summary>
    /// <exception cref="IOException">open failed; the message names the path and errno.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> contains a NUL character.</exception>
    internal static SafeFdHandle Open(string path, int flags, int mode = 0)
    {
        int result = TryOpen(path, flags, mode, out SafeFdHandle? handle);
        return handle ?? throw IOError("open", -result, path);
    }
}

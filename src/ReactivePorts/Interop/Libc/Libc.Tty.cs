#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    internal const uint TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;

    /// <summary><c>struct winsize</c>: the terminal size in characters and pixels.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WinSize
    {
        public ushort Rows, Columns, XPixels, YPixels;
    }

    [LibraryImport(Name, EntryPoint = "isatty", SetLastError = true)]
    private static partial int IsATtyRaw(SafeFdHandle fd);

    [LibraryImport(Name, EntryPoint = "ttyname_r")]
    private static partial int TtyNameRRaw(SafeFdHandle fd, byte* buffer, nuint length);

    [LibraryImport(Name, EntryPoint = "isatty", SetLastError = true)]
    private static partial int IsATtyRaw(int fd);

    [LibraryImport(Name, EntryPoint = "ttyname_r")]
    private static partial int TtyNameRRaw(int fd, byte* buffer, nuint length);

    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlRaw(int fd, nuint request, void* arg);

    /// <summary>Whether a handle the caller may not own refers to a terminal.</summary>
    internal static bool IsATty(SafeHandle handle) => WithFd(handle, static fd => IsATtyRaw(fd)) == 1;

    /// <summary>The terminal device's path of a handle the caller may not own, or null with the errno.</summary>
    internal static string? TtyName(SafeHandle handle, out int errno)
    {
        int fd = Acquire(handle, out bool added);
        try
        {
            if (fd < 0)
            {
                errno = -fd;
                return null;
            }
            const int size = 4096;
            byte* buffer = stackalloc byte[size];
            errno = TtyNameRRaw(fd, buffer, size);
            return errno == 0 ? Marshal.PtrToStringUTF8((nint)buffer) : null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>ioctl(TIOCGWINSZ) on a handle the caller may not own: 0 and the size, or -errno (ENOTTY when not a terminal).</summary>
    internal static int GetWindowSize(SafeHandle handle, out WinSize size)
    {
        WinSize result = default;
        int rc = Ioctl(handle, TIOCGWINSZ, &result);
        size = rc == 0 ? result : default;
        return rc;
    }

    /// <summary>ioctl(TIOCSWINSZ): resizes a terminal (the kernel sends SIGWINCH to its foreground group); 0 or -errno.</summary>
    internal static int SetWindowSize(SafeHandle handle, WinSize size) => Ioctl(handle, TIOCSWINSZ, &size);

    private static int Ioctl(SafeHandle handle, nuint request, void* arg)
    {
        int fd = Acquire(handle, out bool added);
        try
        {
            if (fd < 0) return fd;
            while (IoctlRaw(fd, request, arg) != 0)
            {
                if (LastErrno != EINTR) return -LastErrno;
            }
            return 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    // ioctl is variadic; a pointer third argument is passed as in a non-variadic call.
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlRaw(SafeFdHandle fd, nuint request, void* arg);

    /// <summary>Whether the descriptor refers to a terminal (false for pipes, files, sockets, or a closed fd).</summary>
    internal static bool IsATty(SafeFdHandle fd) => IsATtyRaw(fd) == 1;

    /// <summary>The terminal device's path (e.g. <c>/dev/pts/3</c>), or null with the errno (ENOTTY, EBADF).</summary>
    internal static string? TtyName(SafeFdHandle fd, out int errno)
    {
        const int size = 4096;
        byte* buffer = stackalloc byte[size];
        // ttyname_r returns the error number rather than setting errno.
        errno = TtyNameRRaw(fd, buffer, size);
        return errno == 0 ? Marshal.PtrToStringUTF8((nint)buffer) : null;
    }

    /// <summary>ioctl(TIOCGWINSZ), retrying EINTR: 0 and the window size, or -errno (ENOTTY when not a terminal).</summary>
    internal static int GetWindowSize(SafeFdHandle fd, out WinSize size)
    {
        WinSize result = default;
        while (true)
        {
            if (IoctlRaw(fd, TIOCGWINSZ, &result) == 0)
            {
                size = result;
                return 0;
            }
            int errno = LastErrno;
            if (errno != EINTR)
            {
                size = default;
                return -errno;
            }
        }
    }
}

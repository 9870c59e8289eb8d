#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    // Linux errno values used by the wrappers (asm-generic/errno-base.h, errno.h).
    internal const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10,
        EAGAIN = 11, ENOMEM = 12, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
        EMFILE = 24, ENOTTY = 25, ENOSPC = 28, ESPIPE = 29, EPIPE = 32, E2BIG = 7, ENOEXEC = 8,
        ENOSYS = 38, ELOOP = 40, ENAMETOOLONG = 36, ETXTBSY = 26,
        ENXIO = 6, ENOTCONN = 107, ECONNRESET = 104, ECONNREFUSED = 111, ECONNABORTED = 103, ETIMEDOUT = 110, EHOSTUNREACH = 113;

    /// <summary>The errno of the last P/Invoke on this thread that set it.</summary>
    internal static int LastErrno => Marshal.GetLastPInvokeError();

    [LibraryImport(Name, EntryPoint = "strerror_r")]
    private static unsafe partial byte* StrErrorR(int errnum, byte* buf, nuint buflen);

    /// <summary>The C library's message for an errno value (GNU <c>strerror_r</c>).</summary>
    internal static unsafe string StrError(int errno)
    {
        byte* buffer = stackalloc byte[256];
        byte* message = StrErrorR(errno, buffer, 256);
        return message == null ? $"errno {errno}" : Marshal.PtrToStringUTF8((nint)message) ?? $"errno {errno}";
    }

    /// <summary>The symbolic name of common errno values, for messages (e.g. "EPIPE").</summary>
    internal static string ErrnoName(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", EIO => "EIO",
        E2BIG => "E2BIG", ENOEXEC => "ENOEXEC", EBADF => "EBADF", ECHILD => "ECHILD", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EEXIST => "EEXIST", ENOTDIR => "ENOTDIR", EISDIR => "EISDIR",
        EINVAL => "EINVAL", EMFILE => "EMFILE", ENOTTY => "ENOTTY", ETXTBSY => "ETXTBSY", ENOSPC => "ENOSPC",
        ESPIPE => "ESPIPE", EPIPE => "EPIPE", ENAMETOOLONG => "ENAMETOOLONG", ENOSYS => "ENOSYS", ELOOP => "ELOOP",
        ENOTCONN => "ENOTCONN", ECONNRESET => "ECONNRESET", ECONNREFUSED => "ECONNREFUSED", ECONNABORTED => "ECONNABORTED",
        ETIMEDOUT => "ETIMEDOUT", EHOSTUNREACH => "EHOSTUNREACH", ENXIO => "ENXIO",
        _ => $"errno {errno}",
    };

    /// <summary>An <see cref="IOException"/> for a failed call, carrying errno in <see cref="Exception.HResult"/>.</summary>
    internal static IOException IOError(string call, int errno, string? path = null) =>
        new($"{call}{(path is null ? "" : $" '{path}'")} failed: {ErrnoName(errno)} ({StrError(errno)})") { HResult = errno };
}

#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    internal const int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1;

    /// <summary>Linux-only: query and resize a pipe's buffer (<c>/proc/sys/fs/pipe-max-size</c> caps the size for non-root).</summary>
    internal const int F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

    // fcntl is variadic; on the Linux x86_64 and arm64 ABIs an int third argument is passed
    // exactly as in a non-variadic call.
    [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlRaw(SafeFdHandle fd, int cmd, int arg);

    [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlRaw(int fd, int cmd, int arg);

    /// <summary>Sets or clears O_NONBLOCK on a raw descriptor (the caller holds a reference on its handle); 0 or -errno.</summary>
    internal static int SetNonBlocking(int fd, bool nonBlocking)
    {
        int flags = FcntlRetrying(fd, F_GETFL, 0);
        if (flags < 0) return flags;
        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        return wanted == flags ? 0 : Math.Min(0, FcntlRetrying(fd, F_SETFL, wanted));
    }

    /// <summary>fcntl on a raw descriptor (the caller holds a reference on its handle), retrying EINTR; the result or -errno.</summary>
    internal static int FcntlRetrying(int fd, int cmd, int arg)
    {
        while (true)
        {
            int result = FcntlRaw(fd, cmd, arg);
            if (result >= 0) return result;
            if (LastErrno != EINTR) return -LastErrno;
        }
    }

    /// <summary>fcntl with an int argument, retrying EINTR. Returns the result (≥ 0) or -errno.</summary>
    internal static int Fcntl(SafeFdHandle fd, int cmd, int arg = 0)
    {
        while (true)
        {
            int result = FcntlRaw(fd, cmd, arg);
            if (result >= 0) return result;
            int errno = LastErrno;
            if (errno != EINTR) return -errno;
        }
    }

    /// <summary>The file status flags (F_GETFL: access mode, O_NONBLOCK, O_APPEND...).</summary>
    /// <exception cref="IOException">fcntl failed (EBADF).</exception>
    internal static int GetStatusFlags(SafeFdHandle fd) => ThrowIfError(Fcntl(fd, F_GETFL), "fcntl(F_GETFL)");

    /// <summary>Replaces the file status flags (F_SETFL; only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK change).</summary>
    /// <exception cref="IOException">fcntl failed.</exception>
    internal static void SetStatusFlags(SafeFdHandle fd, int flags) => ThrowIfError(Fcntl(fd, F_SETFL, flags), "fcntl(F_SETFL)");

    /// <summary>
    /// Sets or clears O_NONBLOCK. The flag belongs to the open file description, so it changes
    /// every descriptor duplicated from this one, including one already given to a child.
    /// </summary>
    /// <exception cref="IOException">fcntl failed.</exception>
    internal static void SetNonBlocking(SafeFdHandle fd, bool nonBlocking)
    {
        int flags = GetStatusFlags(fd);
        int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (wanted != flags) SetStatusFlags(fd, wanted);
    }

    /// <summary>The descriptor flags (F_GETFD; <see cref="FD_CLOEXEC"/> is the only one).</summary>
    /// <exception cref="IOException">fcntl failed.</exception>
    internal static int GetDescriptorFlags(SafeFdHandle fd) => ThrowIfError(Fcntl(fd, F_GETFD), "fcntl(F_GETFD)");

    /// <summary>The pipe's buffer size in bytes, or -errno (EBADF; EINVAL if not a pipe).</summary>
    internal static int GetPipeSize(SafeFdHandle fd) => Fcntl(fd, F_GETPIPE_SZ);

    /// <summary>
    /// Asks for a pipe buffer of at least <paramref name="bytes"/> (the kernel rounds up to a power-of-two
    /// number of pages). Returns the size set, or -errno so callers can tolerate the refusals: EPERM
    /// above <c>pipe-max-size</c> without CAP_SYS_RESOURCE or over the user's pipe quota, EBUSY when
    /// shrinking below the data held, EINVAL if not a pipe.
    /// </summary>
    internal static int SetPipeSize(SafeFdHandle fd, int bytes) => Fcntl(fd, F_SETPIPE_SZ, bytes);

    private static int ThrowIfError(int result, string call) => result >= 0 ? result : throw IOError(call, -result);
}

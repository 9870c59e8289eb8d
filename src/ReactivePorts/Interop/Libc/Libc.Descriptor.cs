#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

// Descriptors handed over by someone else (the fd and vanilla drivers): what kind of file they
// are and their status flags, all on a SafeHandle the caller may not own.
internal static unsafe partial class Libc
{
    // sys/stat.h file types (st_mode & S_IFMT).
    internal const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000,
        S_IFREG = 0x8000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

    private const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, STATX_TYPE = 1;

    // statx has one layout on every architecture (stx_mode is a u16 at offset 28 of 256 bytes),
    // unlike struct stat.
    [LibraryImport(Name, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxRaw(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The file type bits (<see cref="S_IFMT"/>) of an open descriptor, or -errno (EBADF).</summary>
    internal static int FileType(SafeHandle handle) => WithFd(handle, static fd => FileTypeAt(fd, "", AT_EMPTY_PATH));

    /// <summary>The file type bits of the file at <paramref name="path"/> (symbolic links followed), or -errno (ENOENT).</summary>
    internal static int FileType(string path) => FileTypeAt(AT_FDCWD, path, 0);

    private static int FileTypeAt(int dirfd, string path, int flags)
    {
        byte* buffer = stackalloc byte[256];
        while (StatxRaw(dirfd, path, flags, STATX_TYPE, buffer) != 0)
        {
            if (LastErrno != EINTR) return -LastErrno;
        }
        return *(ushort*)(buffer + 28) & S_IFMT;
    }

    /// <summary>The file status flags (F_GETFL) of a handle the caller may not own, or -errno (EBADF).</summary>
    internal static int GetStatusFlags(SafeHandle handle) => WithFd(handle, static fd => FcntlRetrying(fd, F_GETFL, 0));

    /// <summary>Replaces the file status flags (F_SETFL); 0 or -errno.</summary>
    internal static int SetStatusFlags(SafeHandle handle, int flags) => WithFd(handle, fd => FcntlRetrying(fd, F_SETFL, flags));

    /// <summary>Runs <paramref name="call"/> on the handle's descriptor with a reference held; -EBADF for a closed or invalid handle.</summary>
    internal static int WithFd(SafeHandle handle, Func<int, int> call)
    {
        int fd = Acquire(handle, out bool added);
        try
        {
            return fd < 0 ? fd : call(fd);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Takes a reference on the handle and returns its descriptor, or -EBADF when it is closed or invalid; release with <c>DangerousRelease</c> when <paramref name="added"/>.</summary>
    internal static int Acquire(SafeHandle handle, out bool added)
    {
        added = false;
        if (handle.IsClosed || handle.IsInvalid) return -EBADF;
        try
        {
            handle.DangerousAddRef(ref added);
            return (int)handle.DangerousGetHandle();
        }
        catch (ObjectDisposedException)
        {
            // Closed by its owner meanwhile.
            return -EBADF;
        }
    }
}

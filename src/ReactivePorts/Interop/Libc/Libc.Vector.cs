#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    /// <summary>The most buffers one readv/writev call accepts (Linux UIO_MAXIOV).</summary>
    internal const int IOV_MAX = 1024;

    /// <summary><c>struct iovec</c>: one buffer of a scatter/gather call. The memory must stay pinned during the call.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVector
    {
        public byte* Base;
        public nuint Length;

        public IoVector(byte* @base, int length)
        {
            Base = @base;
            Length = (nuint)length;
        }
    }

    [LibraryImport(Name, EntryPoint = "readv", SetLastError = true)]
    private static partial nint ReadVRaw(int fd, IoVector* iov, int count);

    [LibraryImport(Name, EntryPoint = "writev", SetLastError = true)]
    private static partial nint WriteVRaw(int fd, IoVector* iov, int count);

    /// <summary>
    /// readv(2) into up to <see cref="IOV_MAX"/> pinned buffers, retrying EINTR. Returns the byte
    /// count (0 at end of file) or -errno (EAGAIN is "not ready").
    /// </summary>
    internal static nint ReadV(int fd, ReadOnlySpan<IoVector> buffers)
    {
        fixed (IoVector* iov = buffers)
        {
            while (true)
            {
                nint n = ReadVRaw(fd, iov, buffers.Length);
                if (n >= 0) return n;
                int errno = LastErrno;
                if (errno != EINTR) return -errno;
            }
        }
    }

    /// <summary>readv(2) into up to three buffers, filled in order (empty ones are skipped); as <see cref="ReadV(int, ReadOnlySpan{IoVector})"/>.</summary>
    internal static nint ReadV(int fd, Span<byte> first, Span<byte> second, Span<byte> third = default)
    {
        fixed (byte* a = first, b = second, c = third)
        {
            Span<IoVector> iov = [new IoVector(a, first.Length), new IoVector(b, second.Length), new IoVector(c, third.Length)];
            return ReadV(fd, iov);
        }
    }

    /// <summary>
    /// writev(2) from up to <see cref="IOV_MAX"/> pinned buffers, retrying EINTR. Returns the byte
    /// count written, which may be short on a non-blocking descriptor, or -errno.
    /// </summary>
    internal static nint WriteV(int fd, ReadOnlySpan<IoVector> buffers)
    {
        fixed (IoVector* iov = buffers)
        {
            while (true)
            {
                nint n = WriteVRaw(fd, iov, buffers.Length);
                if (n >= 0) return n;
                int errno = LastErrno;
                if (errno != EINTR) return -errno;
            }
        }
    }
}

#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    internal const int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

    private const int ERANGE = 34;

    [LibraryImport(Name, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AccessRaw(string path, int mode);

    [LibraryImport(Name, EntryPoint = "access", SetLastError = true)]
    private static partial int AccessRaw(byte* path, int mode);

    [LibraryImport(Name, EntryPoint = "getcwd", SetLastError = true)]
    private static partial byte* GetCwdRaw(byte* buffer, nuint size);

    /// <summary>
    /// access(2) with the real ids: 0 or -errno. Used for PATH search and for the open-time check of the
    /// executable (Erlang's: missing → ENOENT, not executable → EACCES); exec failures come from posix_spawn.
    /// </summary>
    internal static int Access(string path, int mode) => AccessRaw(path, mode) == 0 ? 0 : -LastErrno;

    /// <summary>access(2) on a path given as bytes (no NUL inside; the terminator is added here).</summary>
    internal static int Access(ReadOnlySpan<byte> path, int mode)
    {
        fixed (byte* p = CString(path)) return AccessRaw(p, mode) == 0 ? 0 : -LastErrno;
    }

    /// <summary>The current directory as the kernel has it, byte for byte (getcwd(3)).</summary>
    /// <exception cref="IOException">getcwd failed (the directory was removed: ENOENT).</exception>
    internal static byte[] GetCurrentDirectoryBytes()
    {
        for (nuint size = 256; ; size *= 2)
        {
            byte[] buffer = new byte[size];
            fixed (byte* b = buffer)
            {
                if (GetCwdRaw(b, size) != null) return buffer.AsSpan(0, buffer.AsSpan().IndexOf((byte)0)).ToArray();
            }
            int errno = LastErrno;
            if (errno != ERANGE) throw IOError("getcwd", errno);
        }
    }

    /// <summary>A NUL-terminated copy of <paramref name="bytes"/>, to pin and hand to C.</summary>
    internal static byte[] CString(ReadOnlySpan<byte> bytes)
    {
        byte[] copy = new byte[bytes.Length + 1];
        bytes.CopyTo(copy);
        return copy;
    }
}

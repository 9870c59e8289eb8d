#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    internal const int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

    [LibraryImport(Name, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AccessRaw(string path, int mode);

    /// <summary>
    /// access(2) with the real ids: 0 or -errno. Only for searching PATH; a start never pre-checks,
    /// its errors come from posix_spawn itself.
    /// </summary>
    internal static int Access(string path, int mode) => AccessRaw(path, mode) == 0 ? 0 : -LastErrno;
}

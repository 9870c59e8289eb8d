#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

// Pseudo-terminals (tests open one to act as the terminal an fd port is given) and FIFOs.
internal static unsafe partial class Libc
{
    [LibraryImport(Name, EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenPtRaw(int flags);

    [LibraryImport(Name, EntryPoint = "grantpt", SetLastError = true)]
    private static partial int GrantPtRaw(int fd);

    [LibraryImport(Name, EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int UnlockPtRaw(int fd);

    [LibraryImport(Name, EntryPoint = "ptsname_r")]
    private static partial int PtsNameRRaw(int fd, byte* buffer, nuint length);

    [LibraryImport(Name, EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifoRaw(string path, int mode);

    /// <summary>
    /// A new pseudo-terminal: its master (close-on-exec, no controlling terminal taken) and the
    /// path of its slave (<c>/dev/pts/N</c>), unlocked and ready to open.
    /// </summary>
    /// <exception cref="IOException">A call failed (ENOENT without /dev/ptmx, EAGAIN when out of ptys).</exception>
    internal static (SafeFdHandle Master, string SlavePath) OpenPseudoTerminal()
    {
        var master = SafeFdHandle.FromResult(PosixOpenPtRaw(O_RDWR | O_NOCTTY | O_CLOEXEC), "posix_openpt");
        try
        {
            if (GrantPtRaw(master.Fd) != 0) throw IOError("grantpt", LastErrno);
            if (UnlockPtRaw(master.Fd) != 0) throw IOError("unlockpt", LastErrno);
            byte* buffer = stackalloc byte[256];
            int rc = PtsNameRRaw(master.Fd, buffer, 256);
            if (rc != 0) throw IOError("ptsname_r", rc);
            return (master, Marshal.PtrToStringUTF8((nint)buffer)!);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>mkfifo(3) with mode 0600.</summary>
    /// <exception cref="IOException">It failed (EEXIST, ENOENT…).</exception>
    internal static void MakeFifo(string path)
    {
        if (MkFifoRaw(path, 0x180) != 0) throw IOError("mkfifo", LastErrno, path);
    }
}

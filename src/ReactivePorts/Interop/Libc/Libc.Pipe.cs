#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Name, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2Raw(int* fds, int flags);

    /// <summary>
    /// A close-on-exec pipe. With <paramref name="nonBlocking"/> both ends are O_NONBLOCK; since that
    /// flag lives on the open file description (shared by every dup), an end that will become a
    /// child's stdio is made blocking and the parent's end is switched with <see cref="SetNonBlocking(SafeFdHandle, bool)"/>.
    /// </summary>
    /// <exception cref="IOException">pipe2 failed (EMFILE, ENFILE).</exception>
    internal static (SafeFdHandle Read, SafeFdHandle Write) Pipe(bool nonBlocking = false)
    {
        int* fds = stackalloc int[2];
        if (Pipe2Raw(fds, O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)) != 0)
            throw IOError("pipe2", LastErrno);
        return (new SafeFdHandle(fds[0]), new SafeFdHandle(fds[1]));
    }
}

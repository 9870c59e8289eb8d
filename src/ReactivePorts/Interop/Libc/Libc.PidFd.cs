#nullable enable
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    // idtype_t and waitid options (bits/waitflags.h).
    internal const int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    internal const int WNOHANG = 1, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;

    // siginfo_t.si_code for SIGCHLD.
    internal const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;

    /// <summary><c>sizeof(siginfo_t)</c> and the offsets waitid fills for a child (the same on x86_64 and arm64).</summary>
    internal const int SigInfoSize = 128, SigInfoCodeOffset = 8, SigInfoPidOffset = 16, SigInfoStatusOffset = 24;

    /// <summary>What waitid reports about a child: <see cref="Pid"/> 0 means "no change yet" (WNOHANG).</summary>
    /// <param name="Pid">si_pid: the child, or 0 when nothing was ready.</param>
    /// <param name="Code">si_code: <see cref="CLD_EXITED"/>, <see cref="CLD_KILLED"/>, <see cref="CLD_DUMPED"/>...</param>
    /// <param name="Status">si_status: the exit code for CLD_EXITED, otherwise the signal number.</param>
    internal readonly record struct ChildInfo(int Pid, int Code, int Status);

    [LibraryImport(Name, EntryPoint = "pidfd_open", SetLastError = true)]
    private static partial int PidFdOpenRaw(int pid, uint flags);

    [LibraryImport(Name, EntryPoint = "pidfd_send_signal", SetLastError = true)]
    private static partial int PidFdSendSignalRaw(SafePidFdHandle pidfd, int signal, void* info, uint flags);

    [LibraryImport(Name, EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitIdRaw(int idType, uint id, byte* info, int options);

    /// <summary>
    /// pidfd_open(pid, 0): a close-on-exec descriptor that names this process (not its number), and
    /// becomes readable when it exits. Returns 0, or -errno and null (ESRCH: already reaped).
    /// </summary>
    internal static int PidFdOpen(int pid, out SafePidFdHandle? handle)
    {
        int fd = PidFdOpenRaw(pid, 0);
        if (fd < 0)
        {
            handle = null;
            return -LastErrno;
        }
        handle = new SafePidFdHandle(fd);
        return 0;
    }

    /// <summary>pidfd_send_signal: 0 or -errno (ESRCH once the process has been reaped).</summary>
    internal static int PidFdSendSignal(SafePidFdHandle pidfd, int signal) =>
        PidFdSendSignalRaw(pidfd, signal, null, 0) == 0 ? 0 : -LastErrno;

    /// <summary>
    /// waitid(2), retrying EINTR. Returns 0 with the child's state (Pid 0 if WNOHANG found nothing),
    /// or -errno (ECHILD: not our child, or already reaped by someone else).
    /// </summary>
    internal static int WaitId(int idType, uint id, int options, out ChildInfo info)
    {
        byte* buffer = stackalloc byte[SigInfoSize];
        while (true)
        {
            // With WNOHANG and no change, waitid leaves si_pid alone: zero it first (as POSIX suggests).
            new Span<byte>(buffer, SigInfoSize).Clear();
            if (WaitIdRaw(idType, id, buffer, options) == 0)
            {
                info = new ChildInfo(
                    Unsafe.ReadUnaligned<int>(buffer + SigInfoPidOffset),
                    Unsafe.ReadUnaligned<int>(buffer + SigInfoCodeOffset),
                    Unsafe.ReadUnaligned<int>(buffer + SigInfoStatusOffset));
                return 0;
            }
            int errno = LastErrno;
            if (errno != EINTR)
            {
                info = default;
                return -errno;
            }
        }
    }

    /// <summary>waitid(P_PIDFD, pidfd, <paramref name="options"/>): see <see cref="WaitId"/>. Needs Linux 5.4.</summary>
    internal static int WaitIdPidFd(SafePidFdHandle pidfd, int options, out ChildInfo info)
    {
        bool added = false;
        try
        {
            pidfd.DangerousAddRef(ref added);
            return WaitId(P_PIDFD, (uint)pidfd.Fd, options, out info);
        }
        finally
        {
            if (added) pidfd.DangerousRelease();
        }
    }
}

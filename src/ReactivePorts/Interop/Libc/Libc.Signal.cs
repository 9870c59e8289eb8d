#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static unsafe partial class Libc
{
    // Linux signal numbers on x86_64 and arm64 (asm-generic/signal.h).
    internal const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
        SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
        SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
        SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
        SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

    /// <summary><c>sizeof(sigset_t)</c> in glibc: 1024 bits.</summary>
    internal const int SigSetSize = 128;

    private static readonly string[] SignalNames =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
        "SIGSYS",
    ];

    /// <summary>The symbolic name of a signal ("SIGKILL"), "SIGRTMIN+n" for real-time ones, or null if unknown.</summary>
    internal static string? SignalName(int signal) => signal switch
    {
        > 0 and < 32 => SignalNames[signal],
        >= 34 and <= 64 => signal == 34 ? "SIGRTMIN" : $"SIGRTMIN+{signal - 34}",
        _ => null,
    };

    [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
    private static partial int KillRaw(int pid, int signal);

    [LibraryImport(Name, EntryPoint = "sigemptyset", SetLastError = true)]
    internal static partial int SigEmptySet(byte* set);

    [LibraryImport(Name, EntryPoint = "sigfillset", SetLastError = true)]
    internal static partial int SigFillSet(byte* set);

    [LibraryImport(Name, EntryPoint = "sigismember", SetLastError = true)]
    internal static partial int SigIsMember(byte* set, int signal);

    /// <summary>
    /// kill(2): 0 or -errno (ESRCH: no such process or group; EPERM). A negative pid names a
    /// process group. Only for groups: single processes are signalled through their pidfd, which
    /// cannot reach a recycled pid.
    /// </summary>
    internal static int Kill(int pid, int signal) => KillRaw(pid, signal) == 0 ? 0 : -LastErrno;
}

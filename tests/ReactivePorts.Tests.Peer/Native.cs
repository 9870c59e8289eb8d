using System.Runtime.InteropServices;

namespace ReactivePortsPeer;

/// <summary>The peer's own few libc calls (it is a test tool, not part of the library).</summary>
internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "getpid")]
    internal static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>signal(2); handler 0 is SIG_DFL.</summary>
    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static unsafe partial int SigEmptySet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static unsafe partial int SigAddSet(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    private static unsafe partial int PthreadSigMask(int how, byte* set, byte* old);

    /// <summary>Unblocks <paramref name="signal"/> on the calling thread (SIG_UNBLOCK).</summary>
    internal static unsafe void Unblock(int signal)
    {
        byte* set = stackalloc byte[128];
        SigEmptySet(set);
        SigAddSet(set, signal);
        PthreadSigMask(1, set, null);
    }

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>A signal number from "9", "KILL" or "SIGKILL".</summary>
    internal static int ParseSignal(string text)
    {
        if (int.TryParse(text, out int number)) return number;
        string name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        int index = Array.FindIndex(Names, n => n.Length > 0 && n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index > 0 ? index : throw new FormatException($"unknown signal '{text}'");
    }
}

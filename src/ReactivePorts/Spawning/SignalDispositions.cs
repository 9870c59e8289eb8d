using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// Which signal dispositions a child starts with: the host's own. Every signal is at its default action
/// except those this process ignores (SIG_IGN) at the start, which stay ignored as exec keeps them (a
/// host run under <c>nohup</c> passes its ignored SIGHUP on, as Erlang does); SIGPIPE is always reset;
/// no signal is blocked.
/// </summary>
/// <remarks>
/// <para>
/// The rule is read at each start from this process's dispositions, and it is exact for the signals the
/// .NET runtime leaves as it found them. What the runtime does to them (measured on .NET 10 by starting a
/// .NET program with signals ignored and reading its /proc status; see the runtime's <c>pal_signal.c</c>
/// and the PAL's <c>signal.cpp</c>):
/// </para>
/// <list type="bullet">
/// <item>SIGPIPE: set to SIG_IGN unconditionally at startup, the original is not kept anywhere. So the
/// child always gets SIGPIPE at its default (unlike Erlang, whose children start with it ignored); a host
/// started with SIGPIPE ignored cannot be told apart and does not pass it on.</item>
/// <item>SIGINT, SIGQUIT, SIGCHLD, SIGCONT, SIGWINCH, SIGTTIN, SIGTTOU, SIGTSTP and any signal given a
/// <c>PosixSignalRegistration</c>: the runtime installs its handler only over a non-ignored
/// disposition, so one ignored at startup is still SIG_IGN and is passed on; otherwise the handler
/// becomes SIG_DFL in the child.</item>
/// <item>SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGTERM and SIGRTMIN (the runtime's activation
/// signal): the runtime installs its handler whatever the startup disposition was and keeps the
/// original privately, so one ignored at startup is lost: the child gets the default (Erlang loses
/// SIGINT, SIGQUIT and SIGTERM the same way; its children get SIGFPE ignored, ours do not).</item>
/// <item>Every other signal (SIGHUP, SIGUSR1/2, SIGALRM, SIGXFSZ, real-time signals…): untouched by the
/// runtime, so its current disposition is the startup one unless code in this process changed it; an
/// ignored one is passed on.</item>
/// </list>
/// <para>
/// glibc's two internal signals (32 SIGCANCEL, 33 SIGSETXID) are reset too: glibc 2.36's child sets them
/// to SIG_IGN before exec unless they are in the reset set, so every exec'd program would start with them
/// ignored. sigaddset refuses them; the bits are set directly (bit n-1 of a little-endian bitmap). Nothing
/// in the parent can send them to the child between clone and exec: they go to the parent's thread ids.
/// </para>
/// </remarks>
internal static unsafe class SignalDispositions
{
    /// <summary>Adds to <paramref name="set"/> (a <c>sigset_t</c>) the signals the child resets to SIG_DFL whatever this process has.</summary>
    internal static void FillReset(byte* set)
    {
        foreach (int signal in (ReadOnlySpan<int>)[Libc.SIGPIPE, 32, 33])
            set[(signal - 1) / 8] |= (byte)(1 << ((signal - 1) % 8));
    }
}

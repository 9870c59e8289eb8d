using System.Runtime.InteropServices;
using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Tests.Interop;

namespace ReactivePorts.Tests.Erlang;

/// <summary>Changes this process's own SIGHUP disposition for a moment: nothing else may spawn meanwhile.</summary>
[CollectionDefinition(nameof(HostSignalsCollection), DisableParallelization = true)]
public sealed class HostSignalsCollection;

/// <summary>
/// The child's signal dispositions are the host's own: what the host was started with ignored (nohup's
/// SIGHUP) stays ignored, everything else is default, nothing is blocked; unlike Erlang, SIGPIPE and
/// SIGFPE are not ignored. Compared with real Erlang on the same command, plain and under nohup.
/// </summary>
[Collection(nameof(HostSignalsCollection))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class SignalDispositionErlangTests
{
    // The child reports its own state: sh execs grep, which reads /proc/self/status.
    private const string Command = "grep Sig /proc/self/status";

    private const string ErlangExpression =
        "P = open_port({spawn, \"" + Command + "\"}, [exit_status, stream, binary]), "
        + "L = fun Loop(Acc) -> receive {P, {data, D}} -> Loop(<<Acc/binary, D/binary>>); {P, {exit_status, _}} -> Acc after 5000 -> <<\"timeout\">> end end, "
        + "io:format(\"~s\", [L(<<>>)]), halt().";

    /// <summary>Erlang's deliberate extras, absent from the library's children (README: "unlike Erlang").</summary>
    private static readonly ulong ErlangOnly = TestNative.Bit(Libc.SIGPIPE) | TestNative.Bit(Libc.SIGFPE);

    [Fact(Timeout = 20000)]
    public async Task Open_HostIgnoresNothing_ChildIgnoresNothing_AsErlangButForSigpipeAndSigfpe()
    {
        string erl = await Erl.Run(ErlangExpression);
        string ours = await Ours();

        Assert.Equal("blocked: ; ignored: SIGFPE SIGPIPE", Transcript(erl));
        Assert.Equal("blocked: ; ignored: ", Transcript(ours));
        Assert.Equal(Transcript(erl, ErlangOnly), Transcript(ours));
    }

    [Fact(Timeout = 20000)]
    public async Task Open_HostStartedUnderNohup_ChildIgnoresSighup_AsErlang()
    {
        // Erlang started as nohup starts it: SIGHUP ignored from the first instruction.
        string erl = await Erl.Run(ErlangExpression, null, "HUP");
        // The test host was not started that way, but the runtime never touches SIGHUP, so ignoring it now
        // leaves this process exactly as if it had been (a PosixSignalRegistration for SIGHUP would differ).
        string ours;
        byte[] previous = IgnoreSighup();
        try
        {
            ours = await Ours();
        }
        finally
        {
            Restore(Libc.SIGHUP, previous);
        }

        Assert.Equal("blocked: ; ignored: SIGHUP SIGFPE SIGPIPE", Transcript(erl));
        Assert.Equal("blocked: ; ignored: SIGHUP", Transcript(ours));
        Assert.Equal(Transcript(erl, ErlangOnly), Transcript(ours));
    }

    private static async Task<string> Ours()
    {
        var result = await Port.Spawn(Command).ExecuteBufferedAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(result.Status.Success, result.Status.ToString());
        return Encoding.UTF8.GetString(result.StandardOutput);
    }

    /// <summary>"blocked: &lt;names&gt;; ignored: &lt;names&gt;" from a SigBlk/SigIgn dump, leaving out <paramref name="exclude"/>.</summary>
    private static string Transcript(string status, ulong exclude = 0) =>
        $"blocked: {Names(TestNative.StatusMask(status, "SigBlk") & ~exclude)}; ignored: {Names(TestNative.StatusMask(status, "SigIgn") & ~exclude)}";

    private static string Names(ulong mask) =>
        string.Join(' ', Enumerable.Range(1, 64).Where(s => (mask & TestNative.Bit(s)) != 0).Select(s => Libc.SignalName(s) ?? $"signal {s}"));

    // glibc's struct sigaction: handler, 128-byte mask, int flags (+4 padding), restorer: 152 bytes.
    private const int SigactionSize = 152;

    /// <summary>sigaction(SIGHUP, {SIG_IGN}) and the previous action, byte for byte, to put back.</summary>
    private static unsafe byte[] IgnoreSighup()
    {
        byte* ignore = stackalloc byte[SigactionSize];
        new Span<byte>(ignore, SigactionSize).Clear();
        *(nint*)ignore = 1; // SIG_IGN
        byte[] previous = new byte[SigactionSize];
        fixed (byte* old = previous)
        {
            if (Sigaction(Libc.SIGHUP, ignore, old) != 0) throw new IOException("sigaction failed");
        }
        return previous;
    }

    private static unsafe void Restore(int signal, byte[] action)
    {
        fixed (byte* a = action)
        {
            if (Sigaction(signal, a, null) != 0) throw new IOException("sigaction failed");
        }
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static unsafe partial int Sigaction(int signal, byte* action, byte* previous);
}

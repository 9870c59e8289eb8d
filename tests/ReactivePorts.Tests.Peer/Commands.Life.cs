using System.Diagnostics;

namespace ReactivePortsPeer;

internal static partial class Commands
{
    /// <summary>exit &lt;code&gt;: exits with the code (the kernel keeps its low 8 bits).</summary>
    private static int Exit(string[] args) => IntArg(args, 0);

    /// <summary>
    /// signal &lt;name|num&gt;: dies by the signal. The runtime handles several signals itself (SIGTERM, SIGINT,
    /// SIGQUIT, SIGABRT...), so the disposition is put back to SIG_DFL and the signal unblocked before
    /// kill(getpid()). Exits 70 if it survives.
    /// </summary>
    private static int RaiseSignal(string[] args)
    {
        int signal = Native.ParseSignal(args.Length > 0 ? args[0] : throw new ArgumentException("signal is missing"));
        Native.Signal(signal, 0);
        Native.Unblock(signal);
        Native.Kill(Native.GetPid(), signal);
        Thread.Sleep(5000);
        return 70;
    }

    /// <summary>sleep &lt;ms&gt; (also never-read): sleeps without touching stdin, exits 0.</summary>
    private static int Sleep(string[] args)
    {
        Thread.Sleep(IntArg(args, 0));
        return 0;
    }

    /// <summary>
    /// grandchild-holds-stdout &lt;ms&gt; [linger-ms]: starts /bin/sleep for ms in the same process group,
    /// inheriting stdin/stdout/stderr, writes "&lt;grandchild pid&gt;\n" to stdout, then lingers (default 0)
    /// and exits 0. The reader's end of file comes only when the grandchild is gone.
    /// </summary>
    private static int GrandchildHoldsStdout(string[] args)
    {
        int ms = IntArg(args, 0);
        var start = new ProcessStartInfo("/bin/sleep", (ms / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))
        {
            UseShellExecute = false,
        };
        using Process grandchild = Process.Start(start) ?? throw new IOException("could not start /bin/sleep");
        Std.Write(Std.Out, $"{grandchild.Id}\n");
        Thread.Sleep(IntArg(args, 1, 0));
        return 0;
    }
}

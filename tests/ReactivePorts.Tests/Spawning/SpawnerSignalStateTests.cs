using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Tests.Interop;

namespace ReactivePorts.Tests.Spawning;

/// <summary>
/// A child starts with an empty mask whatever the parent blocks, and with SIGPIPE at its default although
/// the runtime ignores it here; other signals the host ignores pass on (SignalDispositionErlangTests). The
/// .NET runtime of a dotnet child ignores SIGPIPE again on its own, so ignored dispositions are read from
/// a non-.NET child (cat /proc/self/status shows cat's own).
/// </summary>
public class SpawnerSignalStateTests
{
    private static string CatOwnStatus()
    {
        using var run = ChildRun.Start("/bin/cat", [Encoding.UTF8.GetBytes("cat"), Encoding.UTF8.GetBytes("/proc/self/status")]);
        var (stdout, stderr, status) = run.CompleteText();
        Assert.True(status.Success, stderr);
        return stdout;
    }

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ParentIgnoresSigpipe_ChildHasNoIgnoredSignals() => Bounded.Run(() =>
    {
        // The runtime sets SIGPIPE to SIG_IGN in every .NET process; exec keeps SIG_IGN unless reset.
        ulong parentIgnored = TestNative.StatusMask(File.ReadAllText("/proc/self/status"), "SigIgn");
        Assert.NotEqual(0UL, parentIgnored & TestNative.Bit(Libc.SIGPIPE));

        Assert.Equal(0UL, TestNative.StatusMask(CatOwnStatus(), "SigIgn"));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_CallingThreadBlocksSignals_ChildMaskIsEmpty() => Bounded.Run(() =>
    {
        // posix_spawn runs the child on the calling thread's mask unless told otherwise; block two signals
        // on this (pool) thread only, and put the mask back before the thread goes back to the pool.
        using (TestNative.BlockOnThisThread(Libc.SIGUSR2))
        using (TestNative.BlockOnThisThread(Libc.SIGWINCH))
        {
            ulong parentBlocked = TestNative.StatusMask(File.ReadAllText("/proc/thread-self/status"), "SigBlk");
            Assert.Equal(TestNative.Bit(Libc.SIGUSR2) | TestNative.Bit(Libc.SIGWINCH), parentBlocked & (TestNative.Bit(Libc.SIGUSR2) | TestNative.Bit(Libc.SIGWINCH)));

            Assert.Equal(0UL, TestNative.StatusMask(CatOwnStatus(), "SigBlk"));

            using var peer = ChildRun.StartPeer("signal-state");
            var (stdout, stderr, status) = peer.CompleteText();
            Assert.True(status.Success, stderr);
            Assert.Equal(0UL, TestNative.StatusMask(stdout, "SigBlk"));
            // The peer's runtime ignores SIGPIPE itself, and nothing else.
            Assert.Equal(TestNative.Bit(Libc.SIGPIPE), TestNative.StatusMask(stdout, "SigIgn"));
        }
    });
}

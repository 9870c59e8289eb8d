using System.Diagnostics;
using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;
using Xunit.Abstractions;

namespace ReactivePorts.Tests.Spawning;

/// <summary>Exit statuses, signals, reaping through the pidfd, and process groups, on real children.</summary>
public class ChildProcessTests(ITestOutputHelper output)
{
    [Theory(Timeout = Bounded.Timeout)]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    public Task TryReap_PeerExitsWithCode_ReportsTheCode(int code) => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("exit", $"{code}");
        ExitStatus status = run.WaitForExit();
        Assert.Equal(code, status.ExitCode);
        Assert.Null(status.Signal);
        Assert.Equal(code, status.ErlangStatus);
        Assert.Equal(code == 0, status.Success);
        Assert.Equal($"exit code {code}", status.ToString());
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task TryReap_ExitCode256_KeepsTheLowEightBits() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start("/bin/sh", ShellArgs("exit 256"));
        Assert.Equal(0, run.WaitForExit().ExitCode);
    });

    [Theory(Timeout = Bounded.Timeout)]
    [InlineData("KILL", 9, "SIGKILL")]
    [InlineData("TERM", 15, "SIGTERM")]
    [InlineData("INT", 2, "SIGINT")]
    [InlineData("USR1", 10, "SIGUSR1")]
    public Task TryReap_PeerDiesBySignal_ReportsSignalAndErlangStatus(string name, int number, string fullName) => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("signal", name);
        ExitStatus status = run.WaitForExit();
        Assert.Equal(number, status.Signal);
        Assert.Null(status.ExitCode);
        Assert.Equal(128 + number, status.ErlangStatus);
        Assert.False(status.Success);
        Assert.Equal(fullName, status.SignalName);
        Assert.StartsWith($"killed by signal {number} ({fullName})", status.ToString());
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task TryReap_WhileRunning_ReturnsNullAndLaterTheStatus() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer(pipeStdin: true, "echo");
        Assert.Null(run.Process.TryReap());
        Assert.Null(run.Process.Status);
        run.Stdin!.Dispose();
        Assert.True(run.WaitForExit().Success);
        Assert.True(run.Process.Status!.Value.Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task TryReap_Twice_ReturnsTheSameStatus() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("exit", "7");
        ExitStatus first = run.WaitForExit();
        Assert.Equal(first, run.Process.TryReap());
        Assert.Equal(first, run.Process.TryReap());
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task TryReap_ReapedBySomeoneElse_IsUnknown() => Bounded.Run(() =>
    {
        // What happens when the runtime reaps every child (as PID 1, or with SIGCHLD ignored): ECHILD.
        using var run = ChildRun.Start("/bin/sh", ShellArgs("exit 3"));
        Assert.Equal(Libc.POLLIN, Libc.PollOne(run.Process.PidFd!, Libc.POLLIN, 10000));
        Assert.Equal(0, Libc.WaitId(Libc.P_PID, (uint)run.Process.Pid, Libc.WEXITED, out Libc.ChildInfo stolen));
        Assert.Equal(3, stolen.Status);

        ExitStatus? status = run.Process.TryReap();
        Assert.True(status!.Value.IsUnknown);
        Assert.Equal(ExitStatus.Unknown, status);
        Assert.Equal(-1, status.Value.ErlangStatus);
        Assert.Equal("exited, status unknown", status.Value.ToString());
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Signal_RunningChild_KillsItAndAfterReapReturnsFalse() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("sleep", "30000");
        Assert.True(run.Process.Signal(Libc.SIGKILL));
        Assert.Equal(Libc.SIGKILL, run.WaitForExit().Signal);
        Assert.False(run.Process.Signal(Libc.SIGKILL));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Signal_ExitedButNotReaped_IsAcceptedAndChangesNothing() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start("/bin/sh", ShellArgs("exit 5"));
        Assert.Equal(Libc.POLLIN, Libc.PollOne(run.Process.PidFd!, Libc.POLLIN, 10000));
        Assert.True(run.Process.Signal(Libc.SIGKILL)); // a zombie still exists
        Assert.Equal(5, run.WaitForExit().ExitCode);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Signal_SigtermToADotnetChild_EndsItBySignal() => Bounded.Run(() =>
    {
        // The .NET runtime handles SIGTERM (ProcessExit, then re-raise): how does a .NET child report it?
        using var run = ChildRun.StartPeer("sleep", "30000");
        // Whether SIGTERM lands before or after the runtime installed its handler, the status is the same.
        Assert.Null(run.Process.TryReap());
        Assert.True(run.Process.Signal(Libc.SIGTERM));
        ExitStatus status = run.WaitForExit();
        output.WriteLine($"dotnet peer after SIGTERM: {status} (Erlang status {status.ErlangStatus})");
        Assert.Equal(143, status.ErlangStatus);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_NewProcessGroup_ChildLeadsItsOwnGroup() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start(Peer.Host, Peer.Argv("pid"), newProcessGroup: true);
        var (stdout, _, status) = run.CompleteText();
        Assert.True(status.Success);
        Assert.Equal($"{run.Process.Pid} {run.Process.Pid}\n", stdout);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_Default_ChildStaysInOurGroup() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("pid");
        var (stdout, _, _) = run.CompleteText();
        string stat = File.ReadAllText("/proc/self/stat");
        string ourGroup = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2];
        Assert.Equal($"{run.Process.Pid} {ourGroup}\n", stdout);
        Assert.Throws<InvalidOperationException>(() => run.Process.SignalGroup(Libc.SIGKILL));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task SignalGroup_ChildWithGrandchild_KillsBoth() => Bounded.Run(() =>
    {
        // The peer starts `sleep 30` (same group, holding the peer's stdout) and lingers 30 s itself.
        using var run = ChildRun.Start(Peer.Host, Peer.Argv("grandchild-holds-stdout", "30000", "30000"), newProcessGroup: true);
        int grandchild = int.Parse(Fds.ReadLine(run.Stdout, 10000));
        Assert.NotEqual(run.Process.Pid, grandchild);

        Assert.True(run.Process.SignalGroup(Libc.SIGKILL));
        Assert.Equal(Libc.SIGKILL, run.WaitForExit().Signal);
        // End of file on stdout means the last holder, the grandchild, is gone too.
        Assert.Empty(Fds.ReadToEnd(run.Stdout, 10000));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Stdout_GrandchildHoldsIt_EndOfFileComesAfterTheChildsExit() => Bounded.Run(() =>
    {
        // Erlang's order of events: exit_status can come before eof when a descendant keeps the pipe.
        var clock = Stopwatch.StartNew();
        using var run = ChildRun.Start(Peer.Host, Peer.Argv("grandchild-holds-stdout", "1500"), newProcessGroup: true);
        Fds.ReadLine(run.Stdout, 10000);
        ExitStatus status = run.WaitForExit();
        TimeSpan exited = clock.Elapsed;
        Fds.ReadToEnd(run.Stdout, 10000);
        TimeSpan eof = clock.Elapsed;
        output.WriteLine($"child exited at {exited.TotalMilliseconds:F0} ms, stdout EOF at {eof.TotalMilliseconds:F0} ms");
        Assert.True(status.Success);
        Assert.True(eof - exited > TimeSpan.FromMilliseconds(500), $"EOF {eof} only just after exit {exited}");
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Stdout_ClosedByChild_EndOfFileComesWhileItStillRuns() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("close-stdout-linger", "1000");
        Assert.Empty(Fds.ReadToEnd(run.Stdout, 10000));
        Assert.Null(run.Process.TryReap());
        Assert.True(run.WaitForExit().Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Stderr_PeerWritesText_ArrivesOnItsOwnPipe() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("stderr", "oops ✓");
        var (stdout, stderr, status) = run.CompleteText();
        Assert.Equal("", stdout);
        Assert.Equal("oops ✓", stderr);
        Assert.True(status.Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Flood_WriteExit_AllBytesThenTheCode() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("write-exit", "300000", "9");
        var (stdout, _, status) = run.Complete();
        Assert.Equal(300000, stdout.Length);
        Assert.Equal(-1, ReactivePortsPeer.FloodPattern.FirstMismatch(stdout));
        Assert.Equal(9, status.ExitCode);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Dispose_RunningChild_DoesNotKillIt() => Bounded.Run(() =>
    {
        // Erlang's rule: closing the port does not kill the child. Only the pidfd goes away.
        using var run = ChildRun.StartPeer("sleep", "30000");
        int pid = run.Process.Pid;
        Assert.Equal(0, Libc.PidFdOpen(pid, out SafePidFdHandle? second));
        using (second)
        {
            run.Process.Dispose();
            Assert.Throws<ObjectDisposedException>(() => run.Process.Signal(0));
            Assert.Equal(0, Libc.PollOne(second!, Libc.POLLIN, 0)); // still running
            Assert.Equal(0, Libc.PidFdSendSignal(second!, Libc.SIGKILL));
            Assert.Equal(Libc.POLLIN, Libc.PollOne(second!, Libc.POLLIN, 10000));
            Assert.Equal(0, Libc.WaitIdPidFd(second!, Libc.WEXITED, out Libc.ChildInfo info));
            Assert.Equal(Libc.CLD_KILLED, info.Code);
        }
    });

    private static byte[][] ShellArgs(string script) => [.. new[] { "sh", "-c", script }.Select(Encoding.UTF8.GetBytes)];
}

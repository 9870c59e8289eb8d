using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;
using ReactivePorts.Tests.Spawning;

namespace ReactivePorts.Tests.Interop;

/// <summary>pidfd_open / waitid(P_PIDFD) / pidfd_send_signal against real children, reading siginfo_t by offset.</summary>
public class LibcPidFdTests
{
    private static ChildProcess StartShell(string script, string? workingDirectory = null) =>
        Spawner.Start(new SpawnStartInfo(
            "/bin/sh",
            [Encoding.UTF8.GetBytes("sh"), Encoding.UTF8.GetBytes("-c"), Encoding.UTF8.GetBytes(script)],
            SpawnEnvironment.Build(),
            [new(0, SpawnFd.DevNull), new(1, SpawnFd.DevNull), new(2, SpawnFd.DevNull)],
            workingDirectory));

    private static Libc.ChildInfo WaitRaw(ChildProcess child)
    {
        Assert.Equal(Libc.POLLIN, Libc.PollOne(child.PidFd!, Libc.POLLIN, 10000) & Libc.POLLIN);
        Assert.Equal(0, Libc.WaitIdPidFd(child.PidFd!, Libc.WEXITED | Libc.WNOHANG, out Libc.ChildInfo info));
        return info;
    }

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_ChildExits7_ReportsCldExitedWithStatus7() => Bounded.Run(() =>
    {
        using ChildProcess child = StartShell("exit 7");
        Libc.ChildInfo info = WaitRaw(child);
        Assert.Equal(new Libc.ChildInfo(child.Pid, Libc.CLD_EXITED, 7), info);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_ChildKilledBySigkill_ReportsCldKilledWithSignal9() => Bounded.Run(() =>
    {
        using ChildProcess child = StartShell("kill -KILL $$");
        Assert.Equal(new Libc.ChildInfo(child.Pid, Libc.CLD_KILLED, Libc.SIGKILL), WaitRaw(child));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_SigquitWithCoreLimitZero_ReportsCldKilledWithoutCore() => Bounded.Run(() =>
    {
        using ChildProcess child = StartShell("ulimit -c 0; kill -QUIT $$");
        Assert.Equal(new Libc.ChildInfo(child.Pid, Libc.CLD_KILLED, Libc.SIGQUIT), WaitRaw(child));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_SigabrtWithCoreLimitRaised_ReportsCldDumpedWhenTheKernelWritesCores() => Bounded.Run(() =>
    {
        // A core is written only if the pattern is a plain file name (not a pipe, not empty) and the limit
        // can be raised; the child's working directory is a fresh temp dir so a relative pattern lands there.
        string pattern = File.ReadAllText("/proc/sys/kernel/core_pattern").Trim();
        string directory = Directory.CreateTempSubdirectory("reactiveports-core-").FullName;
        try
        {
            using ChildProcess child = StartShell("ulimit -c unlimited || exit 99; kill -ABRT $$", directory);
            Libc.ChildInfo info = WaitRaw(child);
            if (info.Code == Libc.CLD_EXITED && info.Status == 99) return; // the hard limit forbids cores here
            Assert.Equal(Libc.SIGABRT, info.Status);
            bool plainPattern = pattern.Length > 0 && !pattern.StartsWith('|') && !pattern.StartsWith('/');
            if (plainPattern) Assert.Equal(Libc.CLD_DUMPED, info.Code);
            else Assert.True(info.Code is Libc.CLD_KILLED or Libc.CLD_DUMPED);
            Assert.Equal(info.Code == Libc.CLD_DUMPED, ChildProcess.ToExitStatus(info).CoreDumped);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_NoHangWhileRunning_ReportsPidZero() => Bounded.Run(() =>
    {
        using ChildProcess child = StartShell("exec sleep 10");
        try
        {
            Assert.Equal(0, Libc.PollOne(child.PidFd!, Libc.POLLIN, 0));
            Assert.Equal(0, Libc.WaitIdPidFd(child.PidFd!, Libc.WEXITED | Libc.WNOHANG, out Libc.ChildInfo info));
            Assert.Equal(0, info.Pid);
        }
        finally
        {
            Assert.Equal(0, Libc.PidFdSendSignal(child.PidFd!, Libc.SIGKILL));
            Assert.Equal(Libc.CLD_KILLED, WaitRaw(child).Code);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task WaitId_AlreadyReaped_ReturnsMinusEchildAndSignalReturnsMinusEsrch() => Bounded.Run(() =>
    {
        using ChildProcess child = StartShell("exit 0");
        WaitRaw(child);
        Assert.Equal(-Libc.ECHILD, Libc.WaitIdPidFd(child.PidFd!, Libc.WEXITED | Libc.WNOHANG, out _));
        Assert.Equal(-Libc.ESRCH, Libc.PidFdSendSignal(child.PidFd!, Libc.SIGTERM));
    });

    [Fact]
    public void WaitId_NotOurChild_ReturnsMinusEchild() =>
        Assert.Equal(-Libc.ECHILD, Libc.WaitId(Libc.P_PID, 1, Libc.WEXITED | Libc.WNOHANG, out _));

    [Fact]
    public void PidFdOpen_NoSuchProcess_ReturnsMinusEsrch()
    {
        Assert.Equal(-Libc.ESRCH, Libc.PidFdOpen(int.MaxValue, out SafePidFdHandle? handle));
        Assert.Null(handle);
    }

    [Fact]
    public void PidFdOpen_Self_IsCloseOnExec()
    {
        Assert.Equal(0, Libc.PidFdOpen(Environment.ProcessId, out SafePidFdHandle? handle));
        using (handle)
        using (var view = new SafeFdHandle(handle!.Fd, ownsHandle: false))
        {
            Assert.Equal(Libc.FD_CLOEXEC, Libc.GetDescriptorFlags(view) & Libc.FD_CLOEXEC);
            Assert.Equal(0, Libc.PidFdSendSignal(handle, 0));
        }
    }

    [Fact]
    public void Kill_NoSuchGroup_ReturnsMinusEsrch() => Assert.Equal(-Libc.ESRCH, Libc.Kill(-int.MaxValue, 0));

    [Fact]
    public void SigInfo_Layout_MatchesGlibc()
    {
        Assert.Equal(128, Libc.SigInfoSize);
        Assert.Equal((8, 16, 24), (Libc.SigInfoCodeOffset, Libc.SigInfoPidOffset, Libc.SigInfoStatusOffset));
    }
}

using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Framing;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Starting a port: start errors, hot Open and the cold spec, what a child inherits.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rp-start-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, string content, UnixFileMode mode)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;

    [Fact]
    public void Open_MissingExecutable_ThrowsEnoentWithPath()
    {
        string path = Path.Combine(_dir, "missing");
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable(path).Open());
        Assert.Equal((PortSpawnStage.Executable, 2, "ENOENT", path), (error.Stage, error.Errno, error.ErrnoName, error.Path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Open_NotExecutable_ThrowsEacces()
    {
        string path = File("plain", "#!/bin/sh\n", Rw);
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable(path).Open());
        Assert.Equal((PortSpawnStage.Executable, "EACCES", path), (error.Stage, error.ErrnoName, error.Path));
    }

    [Fact]
    public void Open_Directory_ThrowsEaccesAtExec()
    {
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable(_dir).Open());
        // A directory passes the open-time check (search permission is X_OK), as in Erlang, and fails at exec.
        Assert.Equal((PortSpawnStage.Exec, "EACCES", _dir), (error.Stage, error.ErrnoName, error.Path));
        Assert.Contains("stage Exec", error.Message);
    }

    [Fact]
    public void Open_ScriptWithoutShebang_ThrowsEnoexec()
    {
        string path = File("noshebang", "echo hi\n", Rwx);
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable(path).Open());
        Assert.Equal((PortSpawnStage.Exec, "ENOEXEC", path), (error.Stage, error.ErrnoName, error.Path));
    }

    [Fact]
    public void Open_ArgumentOver128KiB_ThrowsE2big()
    {
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable("/bin/echo").WithArguments(new string('x', 200 * 1024)).Open());
        Assert.Equal((PortSpawnStage.Exec, "E2BIG", "/bin/echo"), (error.Stage, error.ErrnoName, error.Path));
    }

    [Fact]
    public void Open_BadWorkingDirectory_ThrowsWithTheDirectoryAsPath()
    {
        string missing = Path.Combine(_dir, "nowhere");
        var enoent = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable("/bin/pwd").WithWorkingDirectory(missing).Open());
        Assert.Equal((PortSpawnStage.WorkingDirectory, "ENOENT", missing), (enoent.Stage, enoent.ErrnoName, enoent.Path));
        string file = File("afile", "", Rw);
        var enotdir = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable("/bin/pwd").WithWorkingDirectory(file).Open());
        Assert.Equal((PortSpawnStage.WorkingDirectory, "ENOTDIR", file), (enotdir.Stage, enotdir.ErrnoName, enotdir.Path));
    }

    [Fact(Timeout = 20000)]
    public async Task Subscribe_ColdSpec_StartErrorArrivesAsOnError()
    {
        var spec = Port.SpawnExecutable(Path.Combine(_dir, "missing"));
        var error = await Assert.ThrowsAsync<PortSpawnException>(() => spec.ToTask().WaitAsync(TestTimeout));
        Assert.Equal("ENOENT", error.ErrnoName);
    }

    [Fact(Timeout = 20000)]
    public async Task Subscribe_ColdSpec_EachSubscriptionOpensANewPort()
    {
        var spec = Sh("echo $$").WithFraming(FrameFormat.Line());
        var first = await spec.ToLines().ToList().ToTask().WaitAsync(TestTimeout);
        var second = await spec.ToLines().ToList().ToTask().WaitAsync(TestTimeout);
        Assert.Single(first);
        Assert.Single(second);
        Assert.NotEqual(first[0], second[0]);
    }

    [Fact(Timeout = 20000)]
    public async Task Subscribe_ColdSpec_DisposingClosesThatPort()
    {
        // cat ends when its input is closed, which only closing the port does here.
        var firstLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = Sh("echo $$; exec cat").WithFraming(FrameFormat.Line()).ToLines().Subscribe(l => firstLine.TrySetResult(l));
        int pid = int.Parse(await firstLine.Task.WaitAsync(TestTimeout));
        try
        {
            subscription.Dispose();
            Assert.True(WaitForProcessExit(pid, TestTimeout), "closing the port did not close cat's input");
        }
        finally
        {
            ReactivePorts.Interop.Libc.Kill(pid, ReactivePorts.Interop.Libc.SIGKILL);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Open_StartsAtOnce_ReadingWaitsForTheSubscriber_NothingLost()
    {
        await using var scope = new PortScope();
        // Less than the pipe holds, so the child can finish without a reader.
        var port = scope.Open(Sh("head -c 1000 /dev/zero; printf tail; exit 4"));
        Assert.True(port.OsPid > 0);
        // The child has written and exited before anyone reads: the exit status is known at reap…
        Assert.Equal(4, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
        Assert.True(port.GetInfo().IsOpen);
        // …and the output still holds everything.
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Equal(1004, recorder.Bytes.Length);
        Assert.EndsWith("tail", recorder.Text);
        Assert.Equal(["Exited(exit code 4)", "Closed"], recorder.Kinds);
    }

    [Fact]
    public void Output_SecondSubscriber_Throws()
    {
        using var port = Port.SpawnExecutable("/bin/cat").WithKillOnClose().Open();
        using var first = port.Output.Subscribe(_ => { });
        Assert.Throws<InvalidOperationException>(() => port.Output.Subscribe(_ => { }));
    }

    [Fact(Timeout = 20000)]
    public async Task Open_ChildInheritsOnlyItsStdio()
    {
        // A descriptor of ours opened without close-on-exec must not reach the child either.
        int leaky = Interop.TestNative.OpenInheritable("/dev/null", 0);
        try
        {
            Assert.Equal("0\n1\n2\n", await RunText(PeerSpec("list-fds")));
        }
        finally
        {
            Interop.TestNative.Close(leaky);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Open_ChildHasDefaultSignalDispositionsAndEmptyMask()
    {
        // The .NET runtime ignores SIGPIPE; without SETSIGDEF the child would inherit that.
        string status = await RunText(Port.SpawnExecutable("/bin/grep").WithArguments("-E", "^Sig(Blk|Ign)", "/proc/self/status"));
        Assert.Equal("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", status);
    }
}

using System.Text;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Spawning;

public class PortSpawnExceptionTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ForExecutableCheck_Enoent_NamesStagePathErrnoAndText()
    {
        var e = PortSpawnException.ForExecutableCheck(Libc.ENOENT, B("/opt/tool"));
        Assert.Equal(PortSpawnStage.Executable, e.Stage);
        Assert.Equal(2, e.Errno);
        Assert.Equal("ENOENT", e.ErrnoName);
        Assert.Equal("/opt/tool", e.Path);
        Assert.Equal(2, e.HResult);
        Assert.Equal("Cannot start '/opt/tool': stage Executable (open-time check of the executable) failed on '/opt/tool': ENOENT (No such file or directory).", e.Message);
        Assert.IsAssignableFrom<PortException>(e);
    }

    [Fact]
    public void ForExec_Eacces_NamesTheExecStage()
    {
        var e = PortSpawnException.ForExec(Libc.EACCES, B("/tmp"));
        Assert.Equal((PortSpawnStage.Exec, "EACCES", "/tmp"), (e.Stage, e.ErrnoName, e.Path));
        Assert.Equal("Cannot start '/tmp': stage Exec (exec) failed on '/tmp': EACCES (Permission denied).", e.Message);
    }

    [Fact]
    public void ForWorkingDirectory_Enotdir_NamesTheDirectoryAsPath()
    {
        var e = PortSpawnException.ForWorkingDirectory(Libc.ENOTDIR, B("/etc/passwd"), B("/bin/true"));
        Assert.Equal((PortSpawnStage.WorkingDirectory, "/etc/passwd"), (e.Stage, e.Path));
        Assert.Equal("Cannot start '/bin/true': stage WorkingDirectory (change into the working directory) failed on '/etc/passwd': ENOTDIR (Not a directory).", e.Message);
    }

    [Fact]
    public void PathBytes_NotUtf8_KeptExactly_PathShowsReplacement()
    {
        byte[] raw = [(byte)'/', (byte)'x', 0xff];
        var e = PortSpawnException.ForExecutableCheck(Libc.ENOENT, raw);
        Assert.Equal(raw, e.PathBytes.ToArray());
        Assert.Equal("/x\uFFFD", e.Path);
    }

    [Fact]
    public void PortException_IsAbstractWithNoPublicConstructor()
    {
        Assert.True(typeof(PortException).IsAbstract);
        Assert.Empty(typeof(PortException).GetConstructors());
        Assert.Empty(typeof(PortSpawnException).GetConstructors());
        Assert.True(typeof(PortSpawnException).IsSealed);
    }
}

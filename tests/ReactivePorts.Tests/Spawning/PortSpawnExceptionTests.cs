using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Spawning;

public class PortSpawnExceptionTests
{
    [Fact]
    public void ForExecutable_Enoent_NamesPathErrnoAndText()
    {
        var e = PortSpawnException.ForExecutable(Libc.ENOENT, "/opt/tool");
        Assert.Equal(2, e.Errno);
        Assert.Equal("ENOENT", e.ErrnoName);
        Assert.Equal("/opt/tool", e.Path);
        Assert.Equal(2, e.HResult);
        Assert.Equal("Cannot start '/opt/tool': ENOENT (No such file or directory).", e.Message);
        Assert.IsAssignableFrom<PortException>(e);
    }

    [Fact]
    public void ForWorkingDirectory_Enotdir_NamesTheDirectoryAsPath()
    {
        var e = PortSpawnException.ForWorkingDirectory(Libc.ENOTDIR, "/etc/passwd", "/bin/true");
        Assert.Equal("/etc/passwd", e.Path);
        Assert.Equal("Cannot start '/bin/true' in working directory '/etc/passwd': ENOTDIR (Not a directory).", e.Message);
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

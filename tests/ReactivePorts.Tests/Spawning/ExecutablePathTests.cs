using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExecutablePathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reactiveports-path-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Absolute_RelativePath_JoinsTheCurrentDirectoryWithoutFolding() =>
        Assert.Equal(Directory.GetCurrentDirectory() + "/a/../b", ExecutablePath.Absolute("a/../b"));

    [Fact]
    public void Absolute_AbsolutePath_IsUnchanged() => Assert.Equal("/x/../y", ExecutablePath.Absolute("/x/../y"));

    [Fact]
    public void Search_Sh_FindsAnExecutableOnPath()
    {
        string found = ExecutablePath.Search("sh");
        Assert.StartsWith("/", found);
        Assert.EndsWith("/sh", found);
        Assert.Equal(0, Libc.Access(found, Libc.X_OK));
    }

    [Fact]
    public void Search_NameWithSlash_IsNotSearched() =>
        Assert.Equal(Path.Join(Directory.GetCurrentDirectory(), "./tool"), ExecutablePath.Search("./tool", "/bin"));

    [Fact]
    public void Search_Missing_ThrowsEnoent()
    {
        var e = Assert.Throws<PortSpawnException>(() => ExecutablePath.Search("no-such-tool-here", $"{_dir}:/nonexistent"));
        Assert.Equal(Libc.ENOENT, e.Errno);
        Assert.Equal("no-such-tool-here", e.Path);
    }

    [Fact]
    public void Search_OnlyANonExecutableCandidate_ThrowsEacces()
    {
        File.WriteAllText(Path.Combine(_dir, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(_dir, "tool"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<PortSpawnException>(() => ExecutablePath.Search("tool", _dir));
        Assert.Equal(Libc.EACCES, e.Errno);
    }

    [Fact]
    public void Search_NonExecutableThenExecutable_SkipsTheFirst()
    {
        string first = Directory.CreateDirectory(Path.Combine(_dir, "first")).FullName;
        string second = Directory.CreateDirectory(Path.Combine(_dir, "second")).FullName;
        File.WriteAllText(Path.Combine(first, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(first, "tool"), UnixFileMode.UserRead);
        File.WriteAllText(Path.Combine(second, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(second, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(_dir, "third", "tool")); // a directory is never a match
        Assert.Equal(Path.Combine(second, "tool"), ExecutablePath.Search("tool", $"{Path.Combine(_dir, "third")}:{first}:{second}"));
    }
}

using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>
/// Every start failure comes back synchronously from posix_spawn's return value as a
/// <see cref="PortSpawnException"/> naming the path and the errno, and the child writes nothing anywhere.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnerStartFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reactiveports-spawn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, string content, UnixFileMode mode)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = ReadWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Starts <paramref name="executable"/> with its stderr on a pipe; returns the exception and what reached stderr.</summary>
    private static (PortSpawnException Error, byte[] Stderr) StartFailing(string executable, byte[][]? argv = null, string? workingDirectory = null)
    {
        var (read, write) = Libc.Pipe();
        using (read)
        {
            PortSpawnException error;
            using (write)
            {
                var info = new SpawnStartInfo(
                    executable,
                    argv ?? [Encoding.UTF8.GetBytes(Path.GetFileName(executable))],
                    SpawnEnvironment.Build(),
                    [new(0, SpawnFd.DevNull), new(1, SpawnFd.DevNull), new(2, SpawnFd.Dup(write))],
                    workingDirectory);
                error = Assert.Throws<PortSpawnException>(() => Spawner.Start(info));
            }
            Libc.SetNonBlocking(read, true);
            return (error, Fds.ReadToEnd(read, 5000));
        }
    }

    private static void AssertError(PortSpawnException e, int errno, string name, string path)
    {
        Assert.Equal(errno, e.Errno);
        Assert.Equal(name, e.ErrnoName);
        Assert.Equal(path, e.Path);
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(name, e.Message);
        Assert.Contains(Libc.StrError(errno), e.Message);
        Assert.IsAssignableFrom<PortException>(e);
    }

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_MissingExecutable_ThrowsEnoent() => Bounded.Run(() =>
    {
        string path = Path.Combine(_dir, "missing");
        var (e, stderr) = StartFailing(path);
        AssertError(e, Libc.ENOENT, "ENOENT", path);
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_Directory_ThrowsEacces() => Bounded.Run(() =>
    {
        var (e, stderr) = StartFailing(_dir);
        AssertError(e, Libc.EACCES, "EACCES", _dir);
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_FileWithoutExecuteBit_ThrowsEaccesEvenForRoot() => Bounded.Run(() =>
    {
        // root bypasses permission bits for reading and writing, but execve still needs one x bit.
        string path = WriteFile("not-executable", "#!/bin/sh\nexit 0\n", ReadWrite);
        var (e, stderr) = StartFailing(path);
        AssertError(e, Libc.EACCES, "EACCES", path);
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ScriptWithoutShebang_ThrowsEnoexecWithoutFallingBackToSh() => Bounded.Run(() =>
    {
        string marker = Path.Combine(_dir, "ran");
        string path = WriteFile("no-shebang", $"touch '{marker}'\n", Executable);
        var (e, stderr) = StartFailing(path);
        AssertError(e, Libc.ENOEXEC, "ENOEXEC", path);
        Assert.Empty(stderr);
        Assert.False(File.Exists(marker));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ArgumentOver128KiB_ThrowsE2big() => Bounded.Run(() =>
    {
        // MAX_ARG_STRLEN is 32 pages = 128 KiB, counting the terminating NUL.
        byte[] huge = Enumerable.Repeat((byte)'a', 128 * 1024).ToArray();
        var (e, stderr) = StartFailing("/bin/true", [Encoding.UTF8.GetBytes("true"), huge]);
        AssertError(e, Libc.E2BIG, "E2BIG", "/bin/true");
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ArgumentJustUnder128KiB_Starts() => Bounded.Run(() =>
    {
        byte[] largest = Enumerable.Repeat((byte)'a', 128 * 1024 - 1).ToArray();
        using var run = ChildRun.Start("/bin/true", [Encoding.UTF8.GetBytes("true"), largest]);
        Assert.True(run.WaitForExit().Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_WorkingDirectoryMissing_ThrowsEnoentNamingTheDirectory() => Bounded.Run(() =>
    {
        string missing = Path.Combine(_dir, "no-such-dir");
        var (e, stderr) = StartFailing("/bin/true", workingDirectory: missing);
        AssertError(e, Libc.ENOENT, "ENOENT", missing);
        Assert.Contains("working directory", e.Message);
        Assert.Contains("/bin/true", e.Message);
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_WorkingDirectoryIsAFile_ThrowsEnotdirNamingTheDirectory() => Bounded.Run(() =>
    {
        string file = WriteFile("plain-file", "x", ReadWrite);
        var (e, stderr) = StartFailing("/bin/true", workingDirectory: file);
        AssertError(e, Libc.ENOTDIR, "ENOTDIR", file);
        Assert.Empty(stderr);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_MissingExecutableWithValidWorkingDirectory_NamesTheExecutable() => Bounded.Run(() =>
    {
        string path = Path.Combine(_dir, "missing");
        var (e, _) = StartFailing(path, workingDirectory: _dir);
        AssertError(e, Libc.ENOENT, "ENOENT", path);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ClosedSourceDescriptor_ThrowsObjectDisposed() => Bounded.Run(() =>
    {
        var (read, write) = Libc.Pipe();
        read.Dispose();
        write.Dispose();
        var info = new SpawnStartInfo("/bin/true", [Encoding.UTF8.GetBytes("true")], [], [new(0, SpawnFd.Dup(read))]);
        Assert.Throws<ObjectDisposedException>(() => Spawner.Start(info));
    });
}

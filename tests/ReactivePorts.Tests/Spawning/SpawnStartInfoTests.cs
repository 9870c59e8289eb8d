using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>Everything wrong with a start description is refused before any process exists.</summary>
public class SpawnStartInfoTests
{
    private static readonly byte[][] Argv = [Encoding.UTF8.GetBytes("true")];

    private static SpawnStartInfo Create(string executable = "/bin/true", byte[][]? argv = null, byte[][]? env = null,
        KeyValuePair<int, SpawnFd>[]? fds = null, string? workingDirectory = null) =>
        new(executable, argv ?? Argv, env ?? [], fds ?? [], workingDirectory);

    [Fact]
    public void Ctor_RelativeExecutable_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(executable: "bin/true"));

    [Fact]
    public void Ctor_NulInExecutable_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(executable: "/bin/tr\0ue"));

    [Fact]
    public void Ctor_NoArguments_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(argv: []));

    [Fact]
    public void Ctor_NulByteInArgument_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(argv: [[(byte)'a', 0, (byte)'b']]));

    [Fact]
    public void Ctor_NullArgument_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Create(argv: [null!]));

    [Theory]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    public void Ctor_MalformedEnvironmentEntry_Throws(string entry) =>
        Assert.Throws<ArgumentException>(() => Create(env: [Encoding.UTF8.GetBytes(entry)]));

    [Fact]
    public void Ctor_NegativeDescriptor_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(fds: [new(-1, SpawnFd.DevNull)]));

    [Fact]
    public void Ctor_DescriptorMappedTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(fds: [new(1, SpawnFd.DevNull), new(1, SpawnFd.DevNull)]));

    [Fact]
    public void Ctor_NulInWorkingDirectory_Throws() =>
        Assert.Throws<ArgumentException>(() => Create(workingDirectory: "/tmp\0"));

    [Fact]
    public void Ctor_RelativeWorkingDirectory_IsResolvedNowAgainstTheCurrentDirectory() =>
        Assert.Equal(Path.Join(Directory.GetCurrentDirectory(), "sub/dir"), Create(workingDirectory: "sub/dir").WorkingDirectory);

    [Fact]
    public void Ctor_CallerChangesItsArraysAfterwards_DescriptionIsUnchanged()
    {
        byte[] arg = Encoding.UTF8.GetBytes("true");
        byte[] env = Encoding.UTF8.GetBytes("A=1");
        SpawnStartInfo info = Create(argv: [arg], env: [env]);
        arg[0] = (byte)'X';
        env[2] = (byte)'2';
        Assert.Equal("true", Encoding.UTF8.GetString(info.Arguments[0].Span));
        Assert.Equal("A=1", Encoding.UTF8.GetString(info.Environment[0].Span));
    }

    [Fact]
    public void Ctor_Fds_AreSortedByNumber()
    {
        var (read, write) = Libc.Pipe();
        using (read)
        using (write)
        {
            SpawnStartInfo info = Create(fds: [new(4, SpawnFd.Dup(write)), new(0, SpawnFd.DevNull), new(3, SpawnFd.Dup(read))]);
            Assert.Equal([0, 3, 4], info.Fds.Keys);
            Assert.Same(read, info.Fds[3].Source);
            Assert.Null(info.Fds[0].Source);
        }
    }

    [Fact]
    public void Encode_StringWithNul_Throws() =>
        Assert.Throws<ArgumentException>(() => SpawnStartInfo.Encode("a\0b", "arg"));

    [Fact]
    public void Encode_NonAscii_IsUtf8() =>
        Assert.Equal([0xC3, 0xBC], SpawnStartInfo.Encode("ü", "arg"));

    [Fact]
    public void ShellCommand_Arguments_AreShDashCExec() =>
        Assert.Equal(["sh", "-c", "exec cat -n"], ShellCommand.Arguments("cat -n").Select(Encoding.UTF8.GetString));

    [Fact]
    public void ShellCommand_Empty_Throws() => Assert.Throws<ArgumentException>(() => ShellCommand.Arguments(" "));
}

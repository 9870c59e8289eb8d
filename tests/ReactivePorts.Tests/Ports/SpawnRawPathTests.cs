using System.Text;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>
/// Paths, arg0 and the working directory as raw bytes, for file names that are not UTF-8: a directory
/// and an executable named with byte 0xFF (made by the shell from bytes passed as arguments) are used
/// byte for byte, and a failure reports the exact bytes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnRawPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rp-raw-").FullName;

    // Directory.Delete cannot name entries that are not UTF-8: rm does it byte for byte.
    public void Dispose() => Port.SpawnExecutable("/bin/rm").WithArguments("-rf", _dir).ExecuteBufferedAsync().Wait(TestTimeout);

    private byte[] Raw(params byte[] name) => [.. Encoding.UTF8.GetBytes(_dir), (byte)'/', .. name];

    /// <summary>Runs <c>sh -c script $1…</c> with raw byte arguments.</summary>
    private static async Task Shell(string script, params byte[][] args)
    {
        var spec = Port.SpawnExecutable("/bin/sh").WithArguments("-c", script, "sh");
        foreach (byte[] a in args) spec = spec.WithArgument(a);
        var result = await spec.ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.True(result.Status.Success, Encoding.UTF8.GetString(result.StandardError));
    }

    [Fact(Timeout = 20000)]
    public async Task SpawnExecutable_BytesNotUtf8_RunsThatFile_InThatDirectory_WithThatArg0()
    {
        byte[] directory = Raw((byte)'d', 0xff);
        byte[] program = Raw((byte)'p', 0xfe, (byte)'x');
        // The program prints its argv[0] and its directory, NUL-separated, byte for byte.
        await Shell("mkdir \"$1\" && printf '#!/bin/sh\\nprintf \"%%s\\\\0%%s\" \"$0\" \"$(pwd)\"\\n' > \"$2\" && chmod +x \"$2\"", directory, program);
        byte[] arg0 = [(byte)'a', 0x80, (byte)'0'];

        var result = await Port.SpawnExecutable(program).WithWorkingDirectory(directory).ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.True(result.Status.Success, Encoding.UTF8.GetString(result.StandardError));
        // A script's $0 is the path the kernel ran (argv[0] defaults to the path bytes).
        Assert.Equal([.. program, 0, .. directory], result.StandardOutput);

        var renamed = await Port.SpawnExecutable("/bin/sh").WithArguments("-c", "printf %s \"$0\"").WithArg0(arg0).ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.Equal(arg0, renamed.StandardOutput);
    }

    [Fact]
    public void SpawnExecutable_MissingBytesPath_ReportsTheExactBytes()
    {
        byte[] missing = Raw((byte)'m', 0xff);
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable(missing).Open());
        Assert.Equal((PortSpawnStage.Executable, "ENOENT"), (error.Stage, error.ErrnoName));
        Assert.Equal(missing, error.PathBytes.ToArray());

        byte[] noDirectory = Raw((byte)'n', 0xff);
        var cd = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable("/bin/true").WithWorkingDirectory(noDirectory).Open());
        Assert.Equal((PortSpawnStage.WorkingDirectory, "ENOENT"), (cd.Stage, cd.ErrnoName));
        Assert.Equal(noDirectory, cd.PathBytes.ToArray());
    }

    [Fact]
    public void RawOverloads_Nul_OrShellCommand_Throw()
    {
        Assert.Throws<ArgumentException>(() => Port.SpawnExecutable(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentException>(() => Port.SpawnExecutable([(byte)'/', 0]));
        Assert.Throws<ArgumentException>(() => Port.SpawnExecutable("/bin/true").WithWorkingDirectory([(byte)'/', 0]));
        Assert.Throws<ArgumentException>(() => Port.SpawnExecutable("/bin/true").WithArg0([(byte)'a', 0]));
        Assert.Throws<ArgumentException>(() => Port.Spawn("true").WithArg0([(byte)'a']));
    }
}

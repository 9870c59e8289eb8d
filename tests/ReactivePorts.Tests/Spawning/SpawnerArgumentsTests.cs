using System.Text;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>argv, envp and the working directory reach the child byte for byte.</summary>
public class SpawnerArgumentsTests
{
    private static byte[][] SplitNul(byte[] data)
    {
        var items = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            items.Add(data[start..i]);
            start = i + 1;
        }
        Assert.Equal(data.Length, start); // every item NUL-terminated
        return items.ToArray();
    }

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_TextArguments_ArriveExactly() => Bounded.Run(() =>
    {
        string[] args = ["plain", "with space", "ünïcødé ✓ 日本", "", "tab\there", "new\nline", "quote'\"$HOME", "-c"];
        using var run = ChildRun.StartPeer(["args0", .. args]);
        var (stdout, stderr, status) = run.Complete();
        Assert.True(status.Success, Encoding.UTF8.GetString(stderr));
        Assert.Equal(args, SplitNul(stdout).Select(Encoding.UTF8.GetString));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_RawByteArguments_ArriveUnchanged() => Bounded.Run(() =>
    {
        byte[][] args = [[0xFF, 0xFE, (byte)'a'], [0xC3], [0x80, 0x80], "ok"u8.ToArray()];
        using var run = ChildRun.Start(Peer.Host, Peer.ArgvRaw("args0", args));
        var (stdout, _, status) = run.Complete();
        Assert.True(status.Success);
        Assert.Equal(args, SplitNul(stdout));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ArgvZero_IsWhatWasGivenNotThePath() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start("/bin/cat", ["my-own-name"u8.ToArray(), "/proc/self/cmdline"u8.ToArray()]);
        var (stdout, _, status) = run.Complete();
        Assert.True(status.Success);
        Assert.Equal("my-own-name", Encoding.UTF8.GetString(SplitNul(stdout)[0]));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_EnvironmentChanges_SetEmptyAndRemovedAsAsked() => Bounded.Run(() =>
    {
        string removed = $"RP_TEST_REMOVED_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(removed, "inherited");
        try
        {
            byte[][] env = SpawnEnvironment.Build(
            [
                new("RP_TEST_SET", "value with spaces ✓ and = sign"),
                new("RP_TEST_EMPTY", ""),
                new(removed, null),
                new("RP_TEST_NEVER_SET", null),
            ]);
            using var run = ChildRun.Start(Peer.Host, Peer.Argv("env0"), env);
            var (stdout, _, status) = run.Complete();
            Assert.True(status.Success);
            string[] entries = SplitNul(stdout).Select(Encoding.UTF8.GetString).ToArray();
            Assert.Contains("RP_TEST_SET=value with spaces ✓ and = sign", entries);
            Assert.Contains("RP_TEST_EMPTY=", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith(removed + "=", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.StartsWith("RP_TEST_NEVER_SET=", StringComparison.Ordinal));
            // Everything else is inherited.
            Assert.Contains($"PATH={Environment.GetEnvironmentVariable("PATH")}", entries);
        }
        finally
        {
            Environment.SetEnvironmentVariable(removed, null);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_EmptyEnvironment_ChildHasNone() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start("/usr/bin/env", ["env"u8.ToArray()], environment: SpawnEnvironment.Build([new("ONLY", "1")], inherit: false));
        var (stdout, _, status) = run.CompleteText();
        Assert.True(status.Success);
        Assert.Equal("ONLY=1\n", stdout);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_WorkingDirectory_ChildStartsThere() => Bounded.Run(() =>
    {
        string directory = Directory.CreateTempSubdirectory("reactiveports-cwd-ü-").FullName;
        try
        {
            using var run = ChildRun.Start(Peer.Host, Peer.Argv("cwd"), workingDirectory: directory);
            var (stdout, _, status) = run.CompleteText();
            Assert.True(status.Success);
            Assert.Equal(directory + "\n", stdout);
        }
        finally
        {
            Directory.Delete(directory);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_NoWorkingDirectory_ChildInheritsOurs() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("cwd");
        Assert.Equal(Directory.GetCurrentDirectory() + "\n", run.CompleteText().Stdout);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ShellCommand_ExecReplacesTheShell() => Bounded.Run(() =>
    {
        // {spawn, Command}: sh -c "exec ..." leaves the program itself as the child, same pid.
        using var run = ChildRun.Start(ShellCommand.Shell, ShellCommand.Arguments($"'{Peer.Host}' '{Peer.Path}' pid"));
        var (stdout, _, status) = run.CompleteText();
        Assert.True(status.Success);
        Assert.Equal(run.Process.Pid.ToString(), stdout.Split(' ')[0]);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ShellCommandExitCode_IsTheProgramsExitCode() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start(ShellCommand.Shell, ShellCommand.Arguments("sh -c 'exit 42'"));
        Assert.Equal(42, run.WaitForExit().ExitCode);
    });
}

using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>
/// nouse_stdio (<c>WithStdio(false)</c>): fds 0 and 1 are /dev/null, fd 2 follows the standard-error mode
/// (inherited by default), and only the descriptors the port uses, 3 (its input) and/or 4 (its output),
/// are added. The child is /bin/sleep; this process reads its descriptor table from /proc once it
/// sleeps: by then it holds only what crossed exec, so "not close-on-exec" is exactly "given by the spawn".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnNoUseStdioTests
{
    private const int O_CLOEXEC = 0x80000;

    private static readonly string OurStderr = new FileInfo("/proc/self/fd/2").LinkTarget!;

    /// <summary>"fd target" for each descriptor of <paramref name="pid"/> that crossed exec, ascending; this process's own fd 2 as "our-stderr", other pipes as "pipe".</summary>
    private static List<string> InheritedFds(int pid)
    {
        var fds = new List<string>();
        foreach (int fd in Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(p => int.Parse(Path.GetFileName(p))).Order())
        {
            string target, flags;
            try
            {
                target = new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget!;
                flags = File.ReadLines($"/proc/{pid}/fdinfo/{fd}").First(l => l.StartsWith("flags:"));
            }
            catch (IOException)
            {
                continue; // a descriptor the runtime closed meanwhile: close-on-exec ones come and go
            }
            if ((Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & O_CLOEXEC) != 0) continue;
            fds.Add($"{fd} {(target == OurStderr ? "our-stderr" : target.StartsWith("pipe:") ? "pipe" : target)}");
        }
        return fds;
    }

    private static async Task<List<string>> FdsOf(SpawnSpec spec)
    {
        await using var scope = new PortScope();
        var port = scope.Open(spec.WithKillOnClose());
        // Until sleep reaches its nanosleep, its libc may hold files of its own open without
        // close-on-exec (the gconv cache, for one), which would look inherited.
        await TestSupport.ProcessWaits.WaitUntilSleeping(port.OsPid!.Value, TimeSpan.FromSeconds(10));
        return InheritedFds(port.OsPid!.Value);
    }

    // A plain program, not the .NET peer: a runtime in the child opens files of its own after exec
    // (assemblies, without O_CLOEXEC, now and then), which would look inherited.
    private static SpawnSpec Sleeper() => Port.SpawnExecutable("/bin/sleep").WithArguments("30");

    private static SpawnSpec SleepingPeer() => Sleeper().WithStdio(false);

    [Fact(Timeout = 20000)]
    public async Task WithStdio_False_HasDevNullStdioInheritedStderrAnd3And4()
    {
        Assert.Equal(["0 /dev/null", "1 /dev/null", "2 our-stderr", "3 pipe", "4 pipe"], await FdsOf(SleepingPeer()));
    }

    [Fact(Timeout = 20000)]
    public async Task WithStdio_FalseDirectionIn_HasNoFd3()
    {
        Assert.Equal(["0 /dev/null", "1 /dev/null", "2 our-stderr", "4 pipe"], await FdsOf(SleepingPeer().WithDirection(PortDirection.In)));
    }

    [Fact(Timeout = 20000)]
    public async Task WithStdio_FalseDirectionOut_HasNoFd4()
    {
        Assert.Equal(["0 /dev/null", "1 /dev/null", "2 our-stderr", "3 pipe"], await FdsOf(SleepingPeer().WithDirection(PortDirection.Out)));
    }

    [Fact(Timeout = 20000)]
    public async Task WithStdio_FalseStandardErrorModes_FollowTheModeAsWithStdio()
    {
        // (Under a runner whose own stderr is /dev/null, the two cases coincide.)
        Assert.Equal(OurStderr == "/dev/null" ? "2 our-stderr" : "2 /dev/null", (await FdsOf(SleepingPeer().WithStandardError(StandardErrorMode.Discard)))[2]);
        Assert.Equal("2 our-stderr", (await FdsOf(SleepingPeer().WithStandardError(StandardErrorMode.Inherit)))[2]);
        Assert.Equal("2 pipe", (await FdsOf(SleepingPeer().WithStandardError(StandardErrorMode.Separate)))[2]);
    }

    [Fact(Timeout = 20000)]
    public async Task WithStdio_True_DirectionIn_KeepsDevNullOnFd0()
    {
        // With stdio, 0 and 1 always exist: the unused one is /dev/null (never this process's own).
        Assert.Equal(["0 /dev/null", "1 pipe", "2 our-stderr"], await FdsOf(Sleeper().WithDirection(PortDirection.In)));
    }
}

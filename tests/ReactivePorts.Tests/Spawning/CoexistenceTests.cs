using System.Diagnostics;
using System.Text;

namespace ReactivePorts.Tests.Spawning;

/// <summary>
/// Our children (pidfd, waitid P_PIDFD) and System.Diagnostics.Process's (SIGCHLD handler, waitpid on its
/// own pids) live in the same process without stealing each other's exit statuses.
/// </summary>
public class CoexistenceTests
{
    private static byte[][] Shell(string script) => [.. new[] { "sh", "-c", script }.Select(Encoding.UTF8.GetBytes)];

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_AlongsideDiagnosticsProcess_EachGetsItsOwnExitCode() => Bounded.Run(() =>
    {
        using Process before = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.2; exit 41"]) { UseShellExecute = false })!;
        var ours = Enumerable.Range(11, 3).Select(code => ChildRun.Start("/bin/sh", Shell($"sleep 0.3; exit {code}"))).ToList();
        using Process after = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.1; exit 42"]) { UseShellExecute = false })!;
        try
        {
            // Process exits arrive through the runtime's SIGCHLD handling while our children are still running.
            Assert.True(after.WaitForExit(10000));
            Assert.True(before.WaitForExit(10000));
            Assert.Equal(42, after.ExitCode);
            Assert.Equal(41, before.ExitCode);

            Assert.Equal([11, 12, 13], ours.Select(run => run.WaitForExit().ExitCode));
        }
        finally
        {
            ours.ForEach(run => run.Dispose());
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_OurChildExitsFirst_ProcessStillGetsItsCode() => Bounded.Run(() =>
    {
        using Process slow = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 0.4; exit 43"]) { UseShellExecute = false })!;
        using var quick = ChildRun.Start("/bin/sh", Shell("exit 14"));
        // Our child's SIGCHLD reaches the runtime's handler first; it must leave our zombie alone.
        Assert.Equal(14, quick.WaitForExit().ExitCode);
        Assert.True(slow.WaitForExit(10000));
        Assert.Equal(43, slow.ExitCode);
    });
}

using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;
using ReactivePorts.Tests.Interop;
using ReactivePortsPeer;

namespace ReactivePorts.Tests.Spawning;

/// <summary>
/// A child sees exactly the descriptors of its map. The peer's list-fds prints the descriptors without
/// close-on-exec, i.e. those that crossed exec (the runtime's own are all close-on-exec).
/// </summary>
public class SpawnerFdTests
{
    private static int[] ListFds(ChildRun run)
    {
        var (stdout, stderr, status) = run.CompleteText();
        Assert.True(status.Success, $"{status}: {stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
    }

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_ParentHoldsAnInheritableDescriptor_ChildSeesOnly012() => Bounded.Run(() =>
    {
        int leaky = TestNative.OpenInheritable("/dev/null", Libc.O_RDONLY);
        try
        {
            using var view = new SafeFdHandle(leaky, ownsHandle: false);
            Assert.Equal(0, Libc.GetDescriptorFlags(view) & Libc.FD_CLOEXEC);
            using var run = ChildRun.StartPeer("list-fds");
            Assert.Equal([0, 1, 2], ListFds(run));
        }
        finally
        {
            TestNative.Close(leaky);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_UnmappedNumberBelowHighestTarget_IsClosedInTheChild() => Bounded.Run(() =>
    {
        // closefrom(highest + 1) cannot reach an inheritable descriptor below a mapped one: it needs its own close.
        int leaky = TestNative.OpenInheritable("/dev/null", Libc.O_RDONLY);
        try
        {
            using var run = ChildRun.Start(Peer.Host, Peer.Argv("list-fds"), extraFds: [new(leaky + 1, SpawnFd.DevNull)]);
            Assert.Equal([0, 1, 2, leaky + 1], ListFds(run));
        }
        finally
        {
            TestNative.Close(leaky);
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_NoUseStdio_ChildCopiesFd3ToFd4() => Bounded.Run(() =>
    {
        // Erlang's nouse_stdio: the port talks on fds 3 and 4 instead of 0 and 1.
        var (toChildRead, toChildWrite) = Libc.Pipe();
        var (fromChildRead, fromChildWrite) = Libc.Pipe();
        using (toChildWrite)
        using (fromChildRead)
        {
            ChildRun run;
            using (toChildRead)
            using (fromChildWrite)
            {
                run = ChildRun.Start(Peer.Host, Peer.Argv("use-fds"), extraFds:
                    [new(3, SpawnFd.Dup(toChildRead)), new(4, SpawnFd.Dup(fromChildWrite))]);
            }
            using (run)
            {
                Libc.SetNonBlocking(fromChildRead, true);
                Assert.Equal(6, Libc.Write(toChildWrite.Fd, "hello\n"u8));
                toChildWrite.Dispose();
                Assert.Equal("hello\n", Encoding.UTF8.GetString(Fds.ReadToEnd(fromChildRead, 10000)));
                Assert.True(run.WaitForExit().Success);
            }
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_FdsThreeAndFour_ChildListsZeroToFour() => Bounded.Run(() =>
    {
        using var run = ChildRun.Start(Peer.Host, Peer.Argv("list-fds"), extraFds: [new(3, SpawnFd.DevNull), new(4, SpawnFd.DevNull)]);
        Assert.Equal([0, 1, 2, 3, 4], ListFds(run));
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_SourceNumbersSwapped_EachTargetGetsTheRightPipe() => Bounded.Run(() =>
    {
        // Child fd p must become pipe Q and child fd q pipe P, where p and q are P's and Q's own numbers:
        // done naively, the first dup2 would overwrite the second one's source.
        var (pRead, pWrite) = Libc.Pipe();
        var (qRead, qWrite) = Libc.Pipe();
        using (pRead)
        using (qRead)
        {
            int p = pWrite.Fd, q = qWrite.Fd;
            ChildRun run;
            using (pWrite)
            using (qWrite)
            {
                run = ChildRun.Start(Peer.Host, Peer.Argv("write-fds", $"{p}", $"{q}"), extraFds:
                    [new(p, SpawnFd.Dup(qWrite)), new(q, SpawnFd.Dup(pWrite))]);
            }
            using (run)
            {
                Libc.SetNonBlocking(pRead, true);
                Libc.SetNonBlocking(qRead, true);
                Assert.Equal($"{q}\n", Encoding.UTF8.GetString(Fds.ReadToEnd(pRead, 10000)));
                Assert.Equal($"{p}\n", Encoding.UTF8.GetString(Fds.ReadToEnd(qRead, 10000)));
                Assert.True(run.WaitForExit().Success);
            }
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_SourceNumberEqualsItsTarget_DescriptorCrossesExec() => Bounded.Run(() =>
    {
        // dup2(n, n) is a no-op in C; glibc's adddup2 clears close-on-exec in that case (since 2.29).
        var (read, write) = Libc.Pipe();
        using (read)
        {
            int n = write.Fd;
            ChildRun run;
            using (write)
            {
                run = ChildRun.Start(Peer.Host, Peer.Argv("write-fds", $"{n}"), extraFds: [new(n, SpawnFd.Dup(write))]);
            }
            using (run)
            {
                Libc.SetNonBlocking(read, true);
                Assert.Equal($"{n}\n", Encoding.UTF8.GetString(Fds.ReadToEnd(read, 10000)));
                Assert.True(run.WaitForExit().Success);
            }
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_SameSourceForTwoTargets_BothWriteToIt() => Bounded.Run(() =>
    {
        // Erlang's stderr_to_stdout: fds 1 and 2 are the same pipe.
        var (read, write) = Libc.Pipe();
        using (read)
        {
            ChildRun run;
            using (write)
            {
                run = ChildRun.Start("/bin/sh", [.. new[] { "sh", "-c", "echo out; echo err >&2" }.Select(Encoding.UTF8.GetBytes)],
                    extraFds: [new(1, SpawnFd.Dup(write)), new(2, SpawnFd.Dup(write))]);
            }
            using (run)
            {
                Libc.SetNonBlocking(read, true);
                Assert.Equal("out\nerr\n", Encoding.UTF8.GetString(Fds.ReadToEnd(read, 10000)));
                Assert.True(run.WaitForExit().Success);
            }
        }
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_DevNullStdin_ChildReadsEndOfFileAtOnce() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer("echo");
        var (stdout, _, status) = run.Complete();
        Assert.Empty(stdout);
        Assert.True(status.Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_NoDescriptorsAtAll_ChildRunsWithNone() => Bounded.Run(() =>
    {
        // An empty map means closefrom(0): the child has no stdin, stdout or stderr (true does not care).
        using ChildProcess child = Spawner.Start(new SpawnStartInfo("/bin/true", [Encoding.UTF8.GetBytes("true")], [], []));
        Assert.True(Fds.WaitForExit(child, 10000).Success);
    });

    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_PipedEcho_RoundTripsBytes() => Bounded.Run(() =>
    {
        using var run = ChildRun.StartPeer(pipeStdin: true, "echo");
        byte[] data = new byte[200_000];
        FloodPattern.Fill(data, 0);
        // Write on another thread: 200 KB is more than the two pipes hold together.
        Task writer = Task.Run(() =>
        {
            Fds.WriteAll(run.Stdin!, data, 10000);
            run.Stdin!.Dispose();
        });
        byte[] echoed = Fds.ReadToEnd(run.Stdout, 10000);
        writer.GetAwaiter().GetResult();
        Assert.Equal(-1, FloodPattern.FirstMismatch(echoed));
        Assert.Equal(data.Length, echoed.Length);
        Assert.True(run.WaitForExit().Success);
    });
}

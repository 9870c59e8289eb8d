using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;
using ReactivePorts.Tests.Interop;

namespace ReactivePorts.Tests.Spawning;

[CollectionDefinition(nameof(OwnStderrCollection), DisableParallelization = true)]
public sealed class OwnStderrCollection;

/// <summary>
/// Start failures print nothing on this process's stderr either. The test swaps fd 2 for a pipe for a
/// moment, so it runs alone (no other test may write to stderr meanwhile).
/// </summary>
[Collection(nameof(OwnStderrCollection))]
public sealed class SpawnerStderrTests
{
    [Fact(Timeout = Bounded.Timeout)]
    public Task Start_Failures_WriteNothingToTheParentsStderr() => Bounded.Run(() =>
    {
        var (read, write) = Libc.Pipe();
        using (read)
        {
            int saved = TestNative.Dup(2);
            Assert.True(saved >= 0);
            try
            {
                using (write)
                {
                    Assert.Equal(2, TestNative.Dup2(write.Fd, 2));
                    foreach (string executable in new[] { "/no/such/program", "/etc", "/etc/hostname" })
                    {
                        var info = new SpawnStartInfo(executable, [Encoding.UTF8.GetBytes("x")], [], [new(2, SpawnFd.Dup(new SafeFdHandle(2, ownsHandle: false)))]);
                        Assert.Throws<PortSpawnException>(() => Spawner.Start(info));
                    }
                    var badDirectory = new SpawnStartInfo("/bin/true", [Encoding.UTF8.GetBytes("true")], [], [], "/no/such/dir");
                    Assert.Throws<PortSpawnException>(() => Spawner.Start(badDirectory));
                }
            }
            finally
            {
                TestNative.Dup2(saved, 2);
                TestNative.Close(saved);
            }
            Libc.SetNonBlocking(read, true);
            Assert.Empty(Fds.ReadToEnd(read, 5000));
        }
    });
}

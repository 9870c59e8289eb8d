using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>
/// Starts a child for the spawn driver: makes the pipes, lays out the child's descriptors, calls
/// <c>posix_spawn</c>, makes the parent's ends non-blocking, and builds the driver that owns them.
/// </summary>
/// <remarks>
/// The child's descriptors: with stdio, 0 is the port's data (or /dev/null for an input-only port) and
/// 1 the child's output (or /dev/null for an output-only port). With nouse_stdio, 0 and 1 are /dev/null
/// and only the pipes the port uses are added: 3 (data to the child) unless input-only, 4 (the
/// child's output) unless output-only. Fd 2 follows the standard-error mode in both layouts. Nothing
/// else crosses exec.
/// </remarks>
internal static class SpawnLauncher
{
    private const int DefaultReadBuffer = 64 * 1024;

    /// <summary>Starts the child now, on the calling thread; the driver owns the parent's pipe ends from here.</summary>
    /// <exception cref="PortSpawnException">The process could not be started (errno and path in the exception).</exception>
    public static SpawnDriver Start(SpawnPlan plan)
    {
        // The child's ends: the parent must not keep them, or the child would never see end of file on its input.
        var childEnds = new List<SafeFdHandle>();
        SafeFdHandle? stdinWrite = null, stdoutRead = null, stderrRead = null;
        try
        {
            var fds = new Dictionary<int, SpawnFd>();
            int inFd = plan.UseStdio ? 0 : 3, outFd = plan.UseStdio ? 1 : 4;
            if (!plan.UseStdio)
            {
                fds[0] = SpawnFd.DevNull;
                fds[1] = SpawnFd.DevNull;
            }
            SafeFdHandle? childOut = null;
            if (plan.Direction != PortDirection.In)
            {
                var (read, write) = Libc.Pipe();
                childEnds.Add(read);
                stdinWrite = write;
                fds[inFd] = SpawnFd.Dup(read);
            }
            else if (plan.UseStdio)
            {
                fds[inFd] = SpawnFd.DevNull; // fd 0 always exists; nouse_stdio adds only the fds it uses
            }
            if (plan.Direction != PortDirection.Out)
            {
                var (read, write) = Libc.Pipe();
                childEnds.Add(write);
                stdoutRead = read;
                childOut = write;
                fds[outFd] = SpawnFd.Dup(write);
            }
            else if (plan.UseStdio)
            {
                fds[outFd] = SpawnFd.DevNull;
            }
            fds[2] = StandardErrorFd(plan.StandardError, childOut, childEnds, ref stderrRead);

            var info = new SpawnStartInfo(plan.Executable, plan.Arguments,
                SpawnEnvironment.Current(plan.EnvironmentChanges, plan.InheritEnvironment), fds, plan.WorkingDirectory, plan.NewProcessGroup);
            if (plan.PipeSize is { } size)
            {
                // Before the start, so the child finds the capacity asked for from its first write.
                foreach (var end in (ReadOnlySpan<SafeFdHandle?>)[stdinWrite, stdoutRead, stderrRead])
                {
                    if (end is not null) Libc.SetPipeSize(end, size); // EPERM (over the user's quota) keeps the default
                }
            }
            var child = Spawner.Start(info);
            // O_NONBLOCK belongs to the parent's ends alone (the child's ends are other open file
            // descriptions), so it is set after the start, while the child execs, not on the way to
            // it. A new pipe end has no status flags but its access mode, which F_SETFL ignores: one
            // call instead of F_GETFL + F_SETFL.
            foreach (var end in (ReadOnlySpan<SafeFdHandle?>)[stdinWrite, stdoutRead, stderrRead])
            {
                if (end is not null) Libc.SetStatusFlags(end, Libc.O_NONBLOCK);
            }
            int readBuffer = plan.PipeSize is { } big ? Math.Max(DefaultReadBuffer, Math.Min(big, 1 << 20)) : DefaultReadBuffer;
            return new SpawnDriver(child, stdinWrite, stdoutRead, stderrRead, readBuffer, growPipes: plan.PipeSize is null);
        }
        catch
        {
            // Release what was opened here (no driver got to own it).
            stdinWrite?.Dispose();
            stdoutRead?.Dispose();
            stderrRead?.Dispose();
            throw;
        }
        finally
        {
            foreach (var handle in childEnds) handle.Dispose();
        }
    }

    private static SpawnFd StandardErrorFd(StandardErrorMode mode, SafeFdHandle? childOut, List<SafeFdHandle> childEnds, ref SafeFdHandle? stderrRead)
    {
        switch (mode)
        {
            case StandardErrorMode.Inherit:
                var own = new SafeFdHandle(2, ownsHandle: false);
                childEnds.Add(own);
                return SpawnFd.Dup(own);
            case StandardErrorMode.MergeWithOutput:
                return childOut is null ? SpawnFd.DevNull : SpawnFd.Dup(childOut);
            case StandardErrorMode.Separate:
                var (errRead, errWrite) = Libc.Pipe();
                childEnds.Add(errWrite);
                stderrRead = errRead;
                return SpawnFd.Dup(errWrite);
            default:
                return SpawnFd.DevNull;
        }
    }

    /// <summary>
    /// A child that started but has no port to watch it (the loop went away meanwhile): killed, and
    /// handed to the reaper, so it neither runs on unseen nor stays a zombie, and the caller does
    /// not wait for it. The driver's pipe ends are closed.
    /// </summary>
    public static void Abandon(SpawnDriver driver)
    {
        try
        {
            driver.Child.Signal(Libc.SIGKILL);
        }
        catch (IOException)
        {
            // Already gone: the reaper collects it all the same.
        }
        driver.ReleaseUnstarted();
        ChildReaper.Adopt(driver.Child, null);
    }
}

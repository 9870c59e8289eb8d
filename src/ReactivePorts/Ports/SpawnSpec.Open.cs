using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts;

public sealed partial record SpawnSpec
{
    private const int DefaultReadBuffer = 64 * 1024;

    /// <summary>
    /// Starts the process now, on the calling thread, and returns the open port. Reading starts
    /// when the output is first subscribed, so nothing is lost before that.
    /// </summary>
    /// <exception cref="PortSpawnException">The process could not be started (missing or non-executable file, a directory, a script without <c>#!</c>, E2BIG, a bad working directory): errno and path are in the exception.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other (the message says which).</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public Port Open()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Spawn ports run on Linux only.");
        Validate();
        var stderrMode = StandardErrorChoice ?? (UseStdio ? StandardErrorMode.Inherit : StandardErrorMode.Discard);
        var loop = Options.Scheduler ?? PollScheduler.Default;
        ObjectDisposedException.ThrowIf(loop.IsDisposed, loop); // before a process exists, not after
        var toClose = new List<SafeFdHandle>();
        SafeFdHandle? stdinWrite = null, stdoutRead = null, stderrRead = null;
        ChildProcess? child = null;
        Port? port = null;
        try
        {
            var fds = new Dictionary<int, SpawnFd>();
            int inFd = UseStdio ? 0 : 3, outFd = UseStdio ? 1 : 4;
            if (!UseStdio)
            {
                fds[0] = SpawnFd.DevNull;
                fds[1] = SpawnFd.DevNull;
            }
            if (Direction != PortDirection.In)
            {
                var (read, write) = Libc.Pipe();
                toClose.Add(read);
                stdinWrite = write;
                fds[inFd] = SpawnFd.Dup(read);
            }
            else
            {
                fds[inFd] = SpawnFd.DevNull;
            }
            SafeFdHandle? childOut = null;
            if (Direction != PortDirection.Out)
            {
                var (read, write) = Libc.Pipe();
                toClose.Add(write);
                stdoutRead = read;
                childOut = write;
                fds[outFd] = SpawnFd.Dup(write);
            }
            else
            {
                fds[outFd] = SpawnFd.DevNull;
            }
            switch (stderrMode)
            {
                case StandardErrorMode.Inherit:
                    var own = new SafeFdHandle(2, ownsHandle: false);
                    toClose.Add(own);
                    fds[2] = SpawnFd.Dup(own);
                    break;
                case StandardErrorMode.MergeWithOutput:
                    fds[2] = childOut is null ? SpawnFd.DevNull : SpawnFd.Dup(childOut);
                    break;
                case StandardErrorMode.Separate:
                    var (errRead, errWrite) = Libc.Pipe();
                    toClose.Add(errWrite);
                    stderrRead = errRead;
                    fds[2] = SpawnFd.Dup(errWrite);
                    break;
                default:
                    fds[2] = SpawnFd.DevNull;
                    break;
            }

            var info = new SpawnStartInfo(ResolveExecutable(), BuildArguments(),
                SpawnEnvironment.Current(EnvironmentChanges, InheritEnvironment), fds, WorkingDirectory, NewProcessGroup);
            if (PipeSize is { } size)
            {
                // Before the start, so the child finds the capacity asked for from its first write.
                foreach (var end in (ReadOnlySpan<SafeFdHandle?>)[stdinWrite, stdoutRead, stderrRead])
                {
                    if (end is not null) Libc.SetPipeSize(end, size); // EPERM (over the user's quota) keeps the default
                }
            }
            child = Spawner.Start(info);
            // O_NONBLOCK belongs to the parent's ends alone (the child's ends are other open file
            // descriptions), so it is set after the start, while the child execs, not on the way to
            // it. A new pipe end has no status flags but its access mode, which F_SETFL ignores: one
            // call instead of F_GETFL + F_SETFL.
            foreach (var end in (ReadOnlySpan<SafeFdHandle?>)[stdinWrite, stdoutRead, stderrRead])
            {
                if (end is not null) Libc.SetStatusFlags(end, Libc.O_NONBLOCK);
            }
            int readBuffer = PipeSize is { } big ? Math.Max(DefaultReadBuffer, Math.Min(big, 1 << 20)) : DefaultReadBuffer;
            var driver = new SpawnDriver(child, stdinWrite, stdoutRead, stderrRead, readBuffer, Options.ZeroCopy);
            var options = Options with
            {
                HasOutputToChild = Direction != PortDirection.In,
                HasInputFromChild = Direction != PortDirection.Out,
            };
            port = new Port(loop, driver, options, Name);
            // Known now, on the caller's thread: the process exists from this moment.
            port.Core.SetOsPid(child.Pid);
            if (options.KillOnApplicationExit) ChildRegistry.Add(port);
            port.Start();
            return port;
        }
        catch
        {
            // A child that started but has no port to watch it (the loop went away meanwhile) is
            // killed and reaped here, so it neither runs on unseen nor stays a zombie.
            if (child is not null) AbandonChild(child, port);
            // Release what was opened here (the driver never got to own it).
            stdinWrite?.Dispose();
            stdoutRead?.Dispose();
            stderrRead?.Dispose();
            throw;
        }
        finally
        {
            // The child's ends belong to the child now (or to nobody): the parent must not keep them,
            // or the child would never see end of file on its input.
            foreach (var handle in toClose) handle.Dispose();
        }
    }

    private static void AbandonChild(ChildProcess child, Port? port)
    {
        if (port is not null) ChildRegistry.Remove(port);
        try
        {
            child.Signal(Libc.SIGKILL);
            if (child.PidFd is { } pidfd) Libc.PollOne(pidfd, Libc.POLLIN, 5000);
            child.TryReap();
        }
        catch (IOException)
        {
            // Already gone, or not ours to wait for any more (ECHILD): nothing is left to clean up.
        }
        finally
        {
            child.Dispose();
        }
    }

    private void Validate()
    {
        Options.Validate();
        if (!UseStdio && StandardErrorChoice == StandardErrorMode.MergeWithOutput)
            throw new InvalidOperationException("Contradictory options: stderr merged into the output (MergeWithOutput) with nouse_stdio (WithStdio(false)).");
        if (Options.HighWatermark == 0 && Options.LowWatermark > 0)
            throw new InvalidOperationException("Contradictory options: a low busy mark without a high one.");
    }

    private string ResolveExecutable()
    {
        if (ShellCommandLine is not null) return ShellCommand.Shell;
        return SearchPath ? ExecutablePath.Search(Executable!) : ExecutablePath.Absolute(Executable!);
    }

    private IEnumerable<byte[]> BuildArguments()
    {
        if (ShellCommandLine is not null) return ShellCommand.Arguments(ShellCommandLine);
        var arg0 = Arg0 ?? SpawnStartInfo.Encode(Executable!, "executable");
        return [arg0, .. Arguments];
    }

    /// <summary>Opens a new port for this subscriber (cold): start errors arrive as <c>OnError</c>; disposing closes the port.</summary>
    public IDisposable Subscribe(IObserver<Packet> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Port port;
        try
        {
            port = Open();
        }
        catch (Exception ex) when (ex is PortException or IOException or InvalidOperationException)
        {
            // A cold observable reports start failures through the grammar, not by throwing.
            observer.OnError(ex);
            return System.Reactive.Disposables.Disposable.Empty;
        }
        return port.Output.Subscribe(observer);
    }

    /// <summary>
    /// Runs the process to completion with its input closed, collecting its output and standard
    /// error (as CliWrap's buffered execute) up to <paramref name="maxBytes"/> each.
    /// </summary>
    /// <exception cref="PortSpawnException">The process could not be started.</exception>
    /// <exception cref="PortOutputLimitException">The output or standard error exceeded <paramref name="maxBytes"/>; the child is killed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is not positive.</exception>
    public async Task<BufferedResult> ExecuteBufferedAsync(int maxBytes = 16 * 1024 * 1024, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var spec = this with { StandardErrorChoice = StandardErrorMode.Separate, Options = Options with { Framing = FrameFormat.Stream, FramingRequests = [] } };
        await using var port = spec.Open();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? failure = null;
        void Append(MemoryStream target, ReadOnlySpan<byte> bytes)
        {
            if (failure is not null) return;
            if (target.Length + bytes.Length > maxBytes)
            {
                failure = new PortOutputLimitException(Name, maxBytes);
                port.Kill();
                return;
            }
            target.Write(bytes);
        }
        using var errors = port.StandardError.Subscribe(chunk => Append(stderr, chunk.Span));
        using var registration = cancellationToken.Register(() => port.Kill());
        port.CompleteInput();
        port.Output.Subscribe(p => Append(stdout, p.Payload.Span), ex => done.TrySetException(ex), () => done.TrySetResult());
        await done.Task.ConfigureAwait(false);
        var status = await port.Exit.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null) throw failure;
        return new BufferedResult(stdout.ToArray(), stderr.ToArray(), status);
    }
}

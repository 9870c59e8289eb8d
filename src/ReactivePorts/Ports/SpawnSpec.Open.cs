using System.Diagnostics;
using ReactivePorts.Drivers;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts;

public sealed partial record SpawnSpec
{
    /// <summary>
    /// Starts the process now, on the calling thread, and returns the open port. Reading starts
    /// when the output is first subscribed, so nothing is lost before that.
    /// </summary>
    /// <exception cref="PortSpawnException">The process could not be started (missing or non-executable file, a directory, a script without <c>#!</c>, E2BIG, a bad working directory): errno and path are in the exception.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other (the message says which).</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public override Port Open()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Spawn ports run on Linux only.");
        Validate();
        var loop = LoopToOpenOn();
        var options = Options with
        {
            HasInput = Direction != PortDirection.In,
            HasOutput = Direction != PortDirection.Out,
        };
        // A loop with a launcher of its own (scripted children in virtual time, say) starts the
        // child itself; the port around it is the same.
        var launcher = ProcessLaunchers.Get(loop);
        long spawnStart = Stopwatch.GetTimestamp();
        var driver = launcher is null ? SpawnLauncher.Start(Plan()) : Launch(launcher);
        PortTracking.Tracker?.OnSpawned(Stopwatch.GetElapsedTime(spawnStart));
        Port? port = null;
        try
        {
            port = new Port(loop, driver, options, Name);
            if (options.KillOnApplicationExit) ChildRegistry.Add(port);
            port.Start();
            return port;
        }
        catch
        {
            // The loop went away meanwhile: the child has no port to watch it.
            if (port is not null) ChildRegistry.Remove(port);
            Abandon(driver);
            throw;
        }
    }

    /// <summary>
    /// A driver whose port never started: its child is killed (ours is then reaped), and a
    /// launcher's driver is disposed if it can be (a driver's own cleanup, <see cref="PortDriver.OnStop"/>,
    /// runs only on a started port).
    /// </summary>
    private static void Abandon(PortDriver driver)
    {
        if (driver is SpawnDriver spawned)
        {
            SpawnLauncher.Abandon(spawned);
            return;
        }
        try
        {
            driver.Process?.Signal(Libc.SIGKILL);
            (driver as IDisposable)?.Dispose();
        }
        catch (Exception)
        {
            // The launcher's own cleanup failed: the open's failure, being thrown now, is what the caller needs.
        }
    }

    private PortDriver Launch(IProcessLauncher launcher)
    {
        var request = new SpawnRequest(Name)
        {
            Command = ShellCommandLine,
            Executable = Executable,
            Arguments = [.. Arguments.Select(a => System.Text.Encoding.UTF8.GetString(a))],
            EnvironmentChanges = EnvironmentChanges,
            InheritsEnvironment = InheritEnvironment,
            WorkingDirectory = WorkingDirectory,
            Direction = Direction,
            NewProcessGroup = NewProcessGroup,
        };
        var driver = launcher.Launch(request)
            ?? throw new InvalidOperationException($"The process launcher {launcher.GetType().Name} returned no driver for '{Name}'.");
        if (driver.Process is null)
        {
            Abandon(driver); // made and never to be used: the launcher's resources go now
            throw new InvalidOperationException($"The process launcher {launcher.GetType().Name} returned a '{driver.Name}' driver without a process for '{Name}'; a spawn port reports its child's exit.");
        }
        return driver;
    }

    private SpawnPlan Plan() => new(
        ResolveExecutable(), BuildArguments(), EnvironmentChanges, InheritEnvironment,
        WorkingDirectoryBytes ?? (WorkingDirectory is null ? null : SpawnStartInfo.Encode(WorkingDirectory, "path")), NewProcessGroup,
        UseStdio, StandardErrorChoice ?? StandardErrorMode.Inherit, Direction, PipeSize);

    private void Validate()
    {
        Options.Validate();
        if (!UseStdio && StandardErrorChoice == StandardErrorMode.MergeWithOutput)
            throw new InvalidOperationException("Contradictory options: stderr merged into the output (MergeWithOutput) with nouse_stdio (WithStdio(false)).");
    }

    private byte[] ResolveExecutable()
    {
        if (ShellCommandLine is not null) return SpawnStartInfo.Encode(ShellCommand.Shell, "command");
        byte[] executable = ExecutableBytes ?? SpawnStartInfo.Encode(Executable!, "path");
        return SearchPath ? ExecutablePath.Search(executable) : ExecutablePath.Absolute(executable);
    }

    private IReadOnlyList<byte[]> BuildArguments()
    {
        if (ShellCommandLine is not null) return [.. ShellCommand.Arguments(ShellCommandLine)];
        var arg0 = Arg0 ?? ExecutableBytes ?? SpawnStartInfo.Encode(Executable!, "executable");
        return [arg0, .. Arguments];
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

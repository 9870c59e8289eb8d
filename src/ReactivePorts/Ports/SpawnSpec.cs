using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts;

/// <summary>
/// An immutable description of a process to open as a port. Each <c>With…</c> returns a new
/// spec; <see cref="Open"/> starts the process. A spec is also a cold observable: each
/// subscription opens a new port, start errors arrive as <c>OnError</c>, and disposing the
/// subscription closes that port.
/// </summary>
public sealed partial record SpawnSpec : IObservable<Packet>
{
    internal SpawnSpec(string? shellCommand, string? executable)
    {
        ShellCommandLine = shellCommand;
        Executable = executable;
    }

    internal string? ShellCommandLine { get; init; }

    internal string? Executable { get; init; }

    internal ImmutableList<byte[]> Arguments { get; init; } = [];

    internal byte[]? Arg0 { get; init; }

    internal ImmutableList<KeyValuePair<string, string?>> EnvironmentChanges { get; init; } = [];

    internal bool InheritEnvironment { get; init; } = true;

    internal string? WorkingDirectory { get; init; }

    internal bool SearchPath { get; init; }

    internal bool UseStdio { get; init; } = true;

    internal StandardErrorMode? StandardErrorChoice { get; init; }

    internal PortDirection Direction { get; init; } = PortDirection.Both;

    internal int? PipeSize { get; init; }

    internal bool NewProcessGroup { get; init; }

    internal PortOptions Options { get; init; } = new();

    /// <summary>The name shown in port info and errors.</summary>
    public string Name => ShellCommandLine ?? Executable ?? "";

    /// <summary>Adds arguments (after argv[0]); each is passed as UTF-8.</summary>
    /// <exception cref="ArgumentException">An argument contains a NUL character, or the spec is a shell command.</exception>
    [Pure]
    public SpawnSpec WithArguments(params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        RequireExecutable(nameof(WithArguments));
        return this with { Arguments = Arguments.AddRange(SpawnStartInfo.Encode(arguments, nameof(arguments))) };
    }

    /// <summary>Adds one argument as raw bytes (not necessarily UTF-8).</summary>
    /// <exception cref="ArgumentException">The bytes contain a NUL, or the spec is a shell command.</exception>
    [Pure]
    public SpawnSpec WithArgument(ReadOnlySpan<byte> argument)
    {
        RequireExecutable(nameof(WithArgument));
        if (argument.Contains((byte)0)) throw new ArgumentException("An argument cannot contain a NUL byte.", nameof(argument));
        return this with { Arguments = Arguments.Add(argument.ToArray()) };
    }

    /// <summary>Sets argv[0] (by default the executable path, as Erlang's <c>arg0</c>).</summary>
    /// <exception cref="ArgumentException">It contains a NUL character.</exception>
    [Pure]
    public SpawnSpec WithArg0(string arg0) => this with { Arg0 = SpawnStartInfo.Encode(arg0, nameof(arg0)) };

    /// <summary>Sets an environment variable; a null value removes it; an empty string is a value.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains '=' or NUL, or the value contains NUL.</exception>
    [Pure]
    public SpawnSpec WithEnvironment(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('=') || name.Contains('\0'))
            throw new ArgumentException($"An environment variable name cannot contain '=' or NUL: '{name}'.", nameof(name));
        if (value is not null && value.Contains('\0'))
            throw new ArgumentException("An environment value cannot contain NUL.", nameof(value));
        return this with { EnvironmentChanges = EnvironmentChanges.Add(new(name, value)) };
    }

    /// <summary>Starts from an empty environment instead of this process's (variables set afterwards still apply).</summary>
    [Pure]
    public SpawnSpec WithClearedEnvironment() => this with { InheritEnvironment = false, EnvironmentChanges = [] };

    /// <summary>Sets the child's working directory (a relative one is resolved at open).</summary>
    /// <exception cref="ArgumentException">The path is empty or contains NUL.</exception>
    [Pure]
    public SpawnSpec WithWorkingDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0')) throw new ArgumentException("A path cannot contain NUL.", nameof(path));
        return this with { WorkingDirectory = path };
    }

    /// <summary>Searches PATH for a bare executable name at open (off by default: only the path given is run).</summary>
    [Pure]
    public SpawnSpec WithPathSearch(bool search = true) => this with { SearchPath = search };

    /// <summary>Frames the port's data both ways: <see cref="FrameFormat.Stream"/> (default), <see cref="FrameFormat.LengthPrefixed"/> or <see cref="FrameFormat.Line"/>. Asking for two different framings fails at open.</summary>
    [Pure]
    public SpawnSpec WithFraming(FrameFormat framing)
    {
        ArgumentNullException.ThrowIfNull(framing);
        return this with { Options = Options with { Framing = framing, FramingRequests = [.. Options.FramingRequests, framing] } };
    }

    /// <summary>Whether the port reports the exit status (default on). Off, the port completes at end of output.</summary>
    [Pure]
    public SpawnSpec WithExitStatus(bool report = true) => this with { Options = Options with { HasExitStatus = report } };

    /// <summary>Makes a non-zero exit an error: the output ends with <see cref="PortExitException"/> after the exit status.</summary>
    [Pure]
    public SpawnSpec WithExitValidation(bool validate = true) => this with { Options = Options with { ValidateExit = validate } };

    /// <summary>
    /// Erlang's rule (default): the exit status waits for end of output, which a grandchild holding
    /// the output open can delay forever. With <paramref name="waitForEof"/> false, the exit is
    /// reported when the child is reaped and the port ends <paramref name="drainTimeout"/> later.
    /// </summary>
    [Pure]
    public SpawnSpec WithExitWaitingForEof(bool waitForEof, TimeSpan? drainTimeout = null) =>
        this with { Options = Options with { ExitWaitsForEof = waitForEof, DrainTimeout = drainTimeout ?? Options.DrainTimeout } };

    /// <summary>
    /// Erlang's <c>eof</c> option. Normally the output completes once eof and the exit status are
    /// both in. In eof mode they are reported (<see cref="PortEof"/>, <see cref="PortExited"/>) but the
    /// port stays open, its input still writable, until it is closed explicitly
    /// (<see cref="Port.CloseAsync"/>, <see cref="Port.Dispose"/> or disposing the subscription);
    /// only then does the output complete. For a child that closes its output early but keeps
    /// reading its input. A framing error still ends the port.
    /// </summary>
    [Pure]
    public SpawnSpec WithEofMode(bool stayOpenAfterEof = true) => this with { Options = Options with { StayOpenAfterEof = stayOpenAfterEof } };

    /// <summary>Erlang's <c>nouse_stdio</c> (false): the child talks on fds 3 (input) and 4 (output); fds 0–2 are <c>/dev/null</c>.</summary>
    [Pure]
    public SpawnSpec WithStdio(bool useStdio = true) => this with { UseStdio = useStdio };

    /// <summary>Where the child's standard error goes (inherited by default).</summary>
    [Pure]
    public SpawnSpec WithStandardError(StandardErrorMode mode) => this with { StandardErrorChoice = mode };

    /// <summary>Input-only or output-only (the unused side is <c>/dev/null</c>, never this process's stdio).</summary>
    [Pure]
    public SpawnSpec WithDirection(PortDirection direction) => this with { Direction = direction };

    /// <summary>The busy marks in bytes: busy at <paramref name="high"/> queued bytes, ready again below <paramref name="low"/> (Erlang's 8192/4096 by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A mark is not positive.</exception>
    [Pure]
    public SpawnSpec WithBusyMarks(long high, long low)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(high);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(low);
        return this with { Options = Options with { HighWatermark = high, LowWatermark = low } };
    }

    /// <summary>Never busy: writes are always accepted and the queue is unbounded.</summary>
    [Pure]
    public SpawnSpec WithoutBusyMarks() => this with { Options = Options with { HighWatermark = 0, LowWatermark = 0 } };

    /// <summary>Asks the kernel for larger pipes (<c>F_SETPIPE_SZ</c>, up to <c>/proc/sys/fs/pipe-max-size</c>); refused sizes (EPERM) leave the default.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is not positive.</exception>
    [Pure]
    public SpawnSpec WithPipeSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return this with { PipeSize = bytes };
    }

    /// <summary>Starts the child as the leader of a new process group, so <see cref="Port.SignalGroup"/> reaches its descendants.</summary>
    [Pure]
    public SpawnSpec WithNewProcessGroup(bool newGroup = true) => this with { NewProcessGroup = newGroup };

    /// <summary>Kills the child (its group, if it has one) when the port is closed (off by default: Erlang leaves it running).</summary>
    [Pure]
    public SpawnSpec WithKillOnClose(bool kill = true) => this with { Options = Options with { KillOnClose = kill } };

    /// <summary>Kills the child if it still runs when the application exits normally.</summary>
    [Pure]
    public SpawnSpec WithKillOnApplicationExit(bool kill = true) => this with { Options = Options with { KillOnApplicationExit = kill } };

    /// <summary>How long closing keeps flushing queued input before dropping it (default 5 s).</summary>
    [Pure]
    public SpawnSpec WithFlushTimeout(TimeSpan timeout) => this with { Options = Options with { FlushTimeout = timeout } };

    /// <summary>
    /// Zero-copy delivery (explicit opt-in): payloads are slices of the port's read buffer, valid
    /// only during <c>OnNext</c> — copy what you keep.
    /// </summary>
    [Pure]
    public SpawnSpec WithZeroCopy(bool zeroCopy = true) => this with { Options = Options with { ZeroCopy = zeroCopy } };

    /// <summary>The loop the port runs on (default <see cref="PollScheduler.Default"/>).</summary>
    [Pure]
    public SpawnSpec WithScheduler(PollScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return this with { Options = Options with { Scheduler = scheduler } };
    }

    private void RequireExecutable(string method)
    {
        if (ShellCommandLine is not null)
            throw new ArgumentException($"{method} applies to Port.SpawnExecutable; a shell command carries its arguments in the command line.");
    }
}

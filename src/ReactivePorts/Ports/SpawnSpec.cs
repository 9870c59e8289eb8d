using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Spawning;

namespace ReactivePorts;

/// <summary>
/// An immutable description of a process to open as a port (Erlang's <c>spawn</c> and
/// <c>spawn_executable</c>): the options of every port (<see cref="PortSpec{TSpec}"/>) and those
/// that only make sense for a child — arguments, environment, directory, stdio, standard error,
/// exit status, process group, kill-on-close. Each <c>With…</c> returns a new spec;
/// <see cref="Open"/> starts the process.
/// </summary>
public sealed partial record SpawnSpec : PortSpec<SpawnSpec>
{
    internal SpawnSpec(string? shellCommand, string? executable)
    {
        ShellCommandLine = shellCommand;
        Executable = executable;
        Options = new PortOptions { HasExitStatus = true };
    }

    internal string? ShellCommandLine { get; init; }

    internal string? Executable { get; init; }

    /// <summary>The executable as given in bytes (<see cref="Port.SpawnExecutable(ReadOnlySpan{byte})"/>); <see cref="Executable"/> then shows it.</summary>
    internal byte[]? ExecutableBytes { get; init; }

    internal ImmutableList<byte[]> Arguments { get; init; } = [];

    internal byte[]? Arg0 { get; init; }

    internal ImmutableList<KeyValuePair<string, string?>> EnvironmentChanges { get; init; } = [];

    internal bool InheritEnvironment { get; init; } = true;

    internal string? WorkingDirectory { get; init; }

    internal byte[]? WorkingDirectoryBytes { get; init; }

    internal bool SearchPath { get; init; }

    internal bool UseStdio { get; init; } = true;

    internal StandardErrorMode? StandardErrorChoice { get; init; }

    internal PortDirection Direction { get; init; } = PortDirection.Both;

    internal int? PipeSize { get; init; }

    internal bool NewProcessGroup { get; init; }

    /// <summary>The name shown in port info and errors: the command or executable.</summary>
    public override string Name => ShellCommandLine ?? Executable ?? "";

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

    /// <summary>Sets argv[0] (by default the executable path, as Erlang's <c>arg0</c>); passed as UTF-8.</summary>
    /// <exception cref="ArgumentException">It contains a NUL character, or the spec is a shell command (Erlang refuses <c>arg0</c> with <c>spawn</c> too).</exception>
    [Pure]
    public SpawnSpec WithArg0(string arg0)
    {
        ArgumentNullException.ThrowIfNull(arg0);
        RequireExecutable(nameof(WithArg0));
        return this with { Arg0 = SpawnStartInfo.Encode(arg0, nameof(arg0)) };
    }

    /// <summary>Sets argv[0] as raw bytes (not necessarily UTF-8).</summary>
    /// <exception cref="ArgumentException">The bytes contain a NUL, or the spec is a shell command (Erlang refuses <c>arg0</c> with <c>spawn</c> too).</exception>
    [Pure]
    public SpawnSpec WithArg0(ReadOnlySpan<byte> arg0)
    {
        RequireExecutable(nameof(WithArg0));
        if (arg0.Contains((byte)0)) throw new ArgumentException("arg0 cannot contain a NUL byte.", nameof(arg0));
        return this with { Arg0 = arg0.ToArray() };
    }

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
        return this with { WorkingDirectory = path, WorkingDirectoryBytes = null };
    }

    /// <summary>Sets the child's working directory as raw bytes, for names that are not UTF-8 (a relative one is resolved at open).</summary>
    /// <exception cref="ArgumentException">The path is empty or contains NUL.</exception>
    [Pure]
    public SpawnSpec WithWorkingDirectory(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty) throw new ArgumentException("A path cannot be empty.", nameof(path));
        if (path.Contains((byte)0)) throw new ArgumentException("A path cannot contain NUL.", nameof(path));
        return this with { WorkingDirectory = Encoding.UTF8.GetString(path), WorkingDirectoryBytes = path.ToArray() };
    }

    /// <summary>Searches PATH for a bare executable name at open (off by default: only the path given is run).</summary>
    [Pure]
    public SpawnSpec WithPathSearch(bool search = true) => this with { SearchPath = search };

    /// <summary>Whether the port reports the exit status (default on). Off, the port completes at end of output.</summary>
    [Pure]
    public SpawnSpec WithExitStatus(bool report = true) => With(Options with { HasExitStatus = report });

    /// <summary>Makes a non-zero exit an error: the output ends with <see cref="PortExitException"/> after the exit status.</summary>
    [Pure]
    public SpawnSpec WithExitValidation(bool validate = true) => With(Options with { ValidateExit = validate });

    /// <summary>
    /// Erlang's rule (default): the exit status waits for end of output, which a grandchild holding
    /// the output open can delay forever. With <paramref name="waitForEof"/> false, the exit is
    /// reported when the child is reaped and the port ends <paramref name="drainTimeout"/> later.
    /// </summary>
    [Pure]
    public SpawnSpec WithExitWaitingForEof(bool waitForEof, TimeSpan? drainTimeout = null) =>
        With(Options with { ExitWaitsForEof = waitForEof, DrainTimeout = drainTimeout ?? Options.DrainTimeout });

    /// <summary>
    /// Erlang's <c>nouse_stdio</c> (false): the child reads the port's data on fd 3 and writes its own on
    /// fd 4; fds 0 and 1 are <c>/dev/null</c> (unlike Erlang, which hands over this process's own), fd 2
    /// follows <see cref="WithStandardError"/> as with stdio (inherited by default), and an input-only or
    /// output-only port (<see cref="WithDirection"/>) gets only the one of fds 3 and 4 it uses.
    /// </summary>
    [Pure]
    public SpawnSpec WithStdio(bool useStdio = true) => this with { UseStdio = useStdio };

    /// <summary>Where the child's standard error goes (inherited by default).</summary>
    [Pure]
    public SpawnSpec WithStandardError(StandardErrorMode mode) => this with { StandardErrorChoice = mode };

    /// <summary>
    /// Input-only or output-only. With stdio the unused one of fds 0 and 1 is <c>/dev/null</c> (never this
    /// process's own); with nouse_stdio the unused one of fds 3 and 4 is not given to the child at all.
    /// </summary>
    [Pure]
    public SpawnSpec WithDirection(PortDirection direction) => this with { Direction = direction };

    /// <summary>
    /// Asks the kernel for pipes of this capacity (<c>F_SETPIPE_SZ</c>, up to <c>/proc/sys/fs/pipe-max-size</c>);
    /// refused sizes (EPERM) leave the default. The pipes then keep this size: the port no longer grows
    /// them for a streaming child or for frames larger than the input pipe, as it does by default.
    /// </summary>
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
    public SpawnSpec WithKillOnClose(bool kill = true) => With(Options with { KillOnClose = kill });

    /// <summary>Kills the child if it still runs when the application exits normally.</summary>
    [Pure]
    public SpawnSpec WithKillOnApplicationExit(bool kill = true) => With(Options with { KillOnApplicationExit = kill });

    private void RequireExecutable(string method)
    {
        if (ShellCommandLine is not null)
            throw new ArgumentException($"{method} applies to Port.SpawnExecutable; a shell command carries its arguments in the command line.");
    }
}

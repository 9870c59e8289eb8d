namespace ReactivePorts.Drivers;

/// <summary>
/// What a spawn spec asks an <see cref="IProcessLauncher"/> to start: the command or executable as
/// given (never resolved against the file system or PATH), its arguments, environment changes,
/// working directory, direction and process group.
/// </summary>
public sealed class SpawnRequest
{
    internal SpawnRequest(string name) => Name = name;

    /// <summary>The spec's name: the shell command line or the executable, as given.</summary>
    public string Name { get; }

    /// <summary>The shell command line (<see cref="Port.Spawn"/>), or null for an executable.</summary>
    public string? Command { get; internal init; }

    /// <summary>The executable as given (<see cref="Port.SpawnExecutable(string)"/>), or null for a shell command.</summary>
    public string? Executable { get; internal init; }

    /// <summary>The arguments after argv[0], decoded as UTF-8.</summary>
    public IReadOnlyList<string> Arguments { get; internal init; } = [];

    /// <summary>Environment variables set (a null value removes one), in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> EnvironmentChanges { get; internal init; } = [];

    /// <summary>Whether the child starts from this process's environment (false: from an empty one).</summary>
    public bool InheritsEnvironment { get; internal init; } = true;

    /// <summary>The working directory asked for, or null for this process's own.</summary>
    public string? WorkingDirectory { get; internal init; }

    /// <summary>Which ways the port carries data.</summary>
    public PortDirection Direction { get; internal init; } = PortDirection.Both;

    /// <summary>Whether the child leads a new process group.</summary>
    public bool NewProcessGroup { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

using System.Collections.Immutable;

namespace ReactivePorts.Drivers.Spawn;

/// <summary>What the spawn driver is asked to start: the program and its arguments, and the child's side of the port (stdio layout, standard error, direction, pipe size).</summary>
/// <param name="Executable">The absolute path of the program, as bytes.</param>
/// <param name="Arguments">argv, including argv[0].</param>
/// <param name="EnvironmentChanges">Variables set (or removed, with a null value) on top of the inherited or empty environment.</param>
/// <param name="InheritEnvironment">Whether the child starts from this process's environment.</param>
/// <param name="WorkingDirectory">The child's working directory as bytes (relative: resolved at the start), or null for this process's.</param>
/// <param name="NewProcessGroup">Whether the child leads a process group of its own.</param>
/// <param name="UseStdio">Erlang's <c>use_stdio</c>: the child talks on fds 0 and 1; otherwise on 3 and 4.</param>
/// <param name="StandardError">Where the child's standard error goes.</param>
/// <param name="Direction">Which ways data flows.</param>
/// <param name="PipeSize">A pipe capacity to ask the kernel for, if any.</param>
internal sealed record SpawnPlan(
    byte[] Executable,
    IReadOnlyList<byte[]> Arguments,
    ImmutableList<KeyValuePair<string, string?>> EnvironmentChanges,
    bool InheritEnvironment,
    byte[]? WorkingDirectory,
    bool NewProcessGroup,
    bool UseStdio,
    StandardErrorMode StandardError,
    PortDirection Direction,
    int? PipeSize);

namespace ReactivePorts.Spawning;

/// <summary>
/// Erlang's <c>{spawn, Command}</c>: the command line goes to <c>/bin/sh -c</c> prefixed with
/// <c>exec</c>, so for a simple command the shell replaces itself and the port's pid, signals and exit
/// status are the program's own. A compound command ("a; b") still runs only its first part under exec,
/// exactly as in Erlang.
/// </summary>
internal static class ShellCommand
{
    /// <summary>The shell every command line is given to.</summary>
    internal const string Shell = "/bin/sh";

    /// <summary>argv for <see cref="Shell"/>: <c>sh -c "exec &lt;command&gt;"</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty or holds a NUL.</exception>
    internal static byte[][] Arguments(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        return [SpawnStartInfo.Encode("sh", nameof(command)), SpawnStartInfo.Encode("-c", nameof(command)), SpawnStartInfo.Encode("exec " + command, nameof(command))];
    }
}

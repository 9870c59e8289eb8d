namespace ReactivePorts;

public sealed partial class Port
{
    /// <summary>
    /// A spec for Erlang's <c>{spawn, Command}</c>: the command line runs as
    /// <c>/bin/sh -c "exec command"</c>, so a simple command replaces the shell and its pid,
    /// signals and exit status are the program's own.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty or contains NUL.</exception>
    public static SpawnSpec Spawn(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (command.Contains('\0')) throw new ArgumentException("A command cannot contain NUL.", nameof(command));
        return new SpawnSpec(command, null);
    }

    /// <summary>
    /// A spec for Erlang's <c>{spawn_executable, Path}</c>: runs the file at
    /// <paramref name="path"/> (a relative path is resolved against the current directory at
    /// open; PATH is not searched unless <see cref="SpawnSpec.WithPathSearch"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or contains NUL.</exception>
    public static SpawnSpec SpawnExecutable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0')) throw new ArgumentException("A path cannot contain NUL.", nameof(path));
        return new SpawnSpec(null, path);
    }

    /// <summary>
    /// As <see cref="SpawnExecutable(string)"/>, with the path as raw bytes, for file names that are not
    /// UTF-8 (argv[0] defaults to the same bytes; <see cref="SpawnSpec.Name"/> shows them decoded).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or contains NUL.</exception>
    public static SpawnSpec SpawnExecutable(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty) throw new ArgumentException("A path cannot be empty.", nameof(path));
        if (path.Contains((byte)0)) throw new ArgumentException("A path cannot contain NUL.", nameof(path));
        return new SpawnSpec(null, System.Text.Encoding.UTF8.GetString(path)) { ExecutableBytes = path.ToArray() };
    }

    /// <summary>
    /// A spec for a port on a driver of your own (or one loaded at run time): each open makes a
    /// driver with <paramref name="factory"/> and runs it through the same port core as spawned
    /// processes, with the same framing, busy marks, eof mode, flush, scheduler and Rx surface.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static DriverSpec Driver(Func<Drivers.PortDriver> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new DriverSpec(factory, null);
    }
}

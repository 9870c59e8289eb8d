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

public sealed partial class Port
{
    /// <summary>
    /// A spec for a port on existing descriptors (Erlang's <c>{fd, In, Out}</c>): the port reads
    /// <paramref name="inputFd"/> and writes <paramref name="outputFd"/> (the same number for one
    /// descriptor both ways; a negative one for none). The port does not own them unless
    /// <see cref="FdSpec.WithOwnership"/>; see <see cref="FdSpec"/> for how they are driven.
    /// </summary>
    /// <exception cref="ArgumentException">Both are negative.</exception>
    public static FdSpec OpenFd(int inputFd, int outputFd)
    {
        if (inputFd < 0 && outputFd < 0) throw new ArgumentException("An fd port needs a descriptor to read or one to write.", nameof(inputFd));
        return new FdSpec(inputFd, outputFd);
    }

    /// <summary>
    /// A spec for a port on existing descriptors given as handles (a <c>SafeFileHandle</c>, a
    /// socket's handle, a pipe stream's handle): the port reads <paramref name="input"/> and writes
    /// <paramref name="output"/> (the same handle for one descriptor both ways; null for none). The
    /// handles are never disposed by the port unless <see cref="FdSpec.WithOwnership"/>; the port holds
    /// a reference on them while it is open, so disposing them meanwhile closes them only afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">Both are null.</exception>
    public static FdSpec OpenFd(System.Runtime.InteropServices.SafeHandle? input, System.Runtime.InteropServices.SafeHandle? output)
    {
        if (input is null && output is null) throw new ArgumentException("An fd port needs a handle to read or one to write.", nameof(input));
        return new FdSpec(input, output);
    }

    /// <summary>
    /// A spec for a port on this process's own standard input and output (fds 0 and 1, not owned), so a
    /// .NET program can be the other end of an Erlang port (<c>open_port({spawn_executable, …},
    /// [{packet, 4}, …])</c>) or of any parent that frames its stdin and stdout. Opening it moves
    /// <see cref="Console.Out"/> to standard error: anything else written to fd 1 would land between
    /// the frames and corrupt them. The port completes at end of input (the parent closed the port),
    /// which is the program's cue to exit.
    /// </summary>
    public static FdSpec OpenStandardStreams() => new FdSpec(0, 1) { MovesConsoleOut = true };

    /// <summary>
    /// A spec for a port on a file opened by name (Erlang's vanilla driver): a regular file, a FIFO or
    /// a device, read (<see cref="FileAccess.Read"/>), written (<see cref="FileAccess.Write"/>: created or
    /// truncated) or both (<see cref="FileAccess.ReadWrite"/>: created). See <see cref="FileSpec"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or contains NUL, or <paramref name="access"/> is not a <see cref="FileAccess"/>.</exception>
    public static FileSpec OpenFile(string path, FileAccess access = FileAccess.Read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0')) throw new ArgumentException("A path cannot contain NUL.", nameof(path));
        if (access is not (FileAccess.Read or FileAccess.Write or FileAccess.ReadWrite)) throw new ArgumentException("Read, Write or ReadWrite.", nameof(access));
        return new FileSpec(path, access);
    }
}

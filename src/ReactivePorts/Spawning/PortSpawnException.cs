using ReactivePorts.Interop;

namespace ReactivePorts;

/// <summary>
/// A process could not be started: the executable is missing, not executable or not a valid
/// program, the argument list is too long, or the working directory is unusable. Raised
/// synchronously by the start, from the error number <c>posix_spawn</c> returned: no start failure
/// ever turns into an exit status.
/// </summary>
public sealed class PortSpawnException : PortException
{
    internal PortSpawnException(int errno, string path, string message)
        : base(message)
    {
        Errno = errno;
        Path = path;
        HResult = errno;
    }

    /// <summary>The error number (for example 2 for ENOENT).</summary>
    public int Errno { get; }

    /// <summary>The symbolic name of <see cref="Errno"/>, such as "ENOENT" or "EACCES".</summary>
    public string ErrnoName => Libc.ErrnoName(Errno);

    /// <summary>The path that failed: the executable, or the working directory when changing into it failed.</summary>
    public string Path { get; }

    /// <summary>The executable could not be run.</summary>
    internal static PortSpawnException ForExecutable(int errno, string executable) =>
        new(errno, executable, $"Cannot start '{executable}': {Describe(errno)}.");

    /// <summary>The child could not change into its working directory.</summary>
    internal static PortSpawnException ForWorkingDirectory(int errno, string directory, string executable) =>
        new(errno, directory, $"Cannot start '{executable}' in working directory '{directory}': {Describe(errno)}.");

    private static string Describe(int errno) => $"{Libc.ErrnoName(errno)} ({Libc.StrError(errno)})";
}

using System.Text;
using ReactivePorts.Interop;

namespace ReactivePorts;

/// <summary>
/// A process could not be started. <see cref="Stage"/> says which step failed (the open-time check of the
/// executable, the exec, or the change of working directory), with the error number and the path
/// involved. Raised synchronously by the start: no start failure ever turns into an exit status.
/// </summary>
public sealed class PortSpawnException : PortException
{
    private readonly byte[] _path;

    internal PortSpawnException(PortSpawnStage stage, int errno, byte[] path, string message)
        : base(message)
    {
        Stage = stage;
        Errno = errno;
        _path = path;
        Path = Encoding.UTF8.GetString(path);
        HResult = errno;
    }

    /// <summary>Which step failed.</summary>
    public PortSpawnStage Stage { get; }

    /// <summary>The error number (for example 2 for ENOENT).</summary>
    public int Errno { get; }

    /// <summary>The symbolic name of <see cref="Errno"/>, such as "ENOENT" or "EACCES".</summary>
    public string ErrnoName => Libc.ErrnoName(Errno);

    /// <summary>
    /// The path that failed: the executable, or the working directory for <see cref="PortSpawnStage.WorkingDirectory"/>.
    /// Bytes that are not UTF-8 show as U+FFFD; <see cref="PathBytes"/> has them exactly.
    /// </summary>
    public string Path { get; }

    /// <summary>The bytes of <see cref="Path"/>, exactly as given to the kernel.</summary>
    public ReadOnlyMemory<byte> PathBytes => _path;

    /// <summary>The open-time check (access X_OK) of the executable failed.</summary>
    internal static PortSpawnException ForExecutableCheck(int errno, byte[] executable) =>
        Create(PortSpawnStage.Executable, errno, executable, executable, "open-time check of the executable");

    /// <summary>The exec failed (the executable passed the check).</summary>
    internal static PortSpawnException ForExec(int errno, byte[] executable) =>
        Create(PortSpawnStage.Exec, errno, executable, executable, "exec");

    /// <summary>The child could not change into its working directory.</summary>
    internal static PortSpawnException ForWorkingDirectory(int errno, byte[] directory, byte[] executable) =>
        Create(PortSpawnStage.WorkingDirectory, errno, directory, executable, "change into the working directory");

    private static PortSpawnException Create(PortSpawnStage stage, int errno, byte[] path, byte[] executable, string what) =>
        new(stage, errno, path,
            $"Cannot start '{Encoding.UTF8.GetString(executable)}': stage {stage} ({what}) failed on '{Encoding.UTF8.GetString(path)}': {Libc.ErrnoName(errno)} ({Libc.StrError(errno)}).");
}

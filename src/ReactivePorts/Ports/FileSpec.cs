using System.Diagnostics.Contracts;
using ReactivePorts.Drivers.Vanilla;
using ReactivePorts.Interop;

namespace ReactivePorts;

/// <summary>
/// A port on a file opened by name (Erlang's <c>{vanilla, Path}</c> driver, reached through
/// <c>open_port(Path, …)</c>): a regular file, a FIFO or a device, read, written or both, with the
/// options of every port (<see cref="PortSpec{TSpec}"/>). Made by <see cref="Port.OpenFile"/>.
/// </summary>
/// <remarks>
/// Erlang's flags: reading opens <c>O_RDONLY</c>, writing <c>O_WRONLY|O_CREAT|O_TRUNC</c>, both
/// <c>O_RDWR|O_CREAT</c>, mode 0666 (less the umask); always non-blocking, close-on-exec and
/// without taking a controlling terminal. The port owns the descriptor and closes it. Opening never
/// blocks a thread: a FIFO opened for reading opens at once and waits for its writer on the loop; one
/// opened for writing before it has a reader is retried on the port's timer until a reader comes, the
/// open times out (<see cref="WithOpenTimeout"/>) or the port is closed, and <see cref="PortSpec{TSpec}.OpenAsync"/>
/// completes only when it is really open. A port that reads completes at end of file (for a FIFO,
/// when its last writer closes); one that only writes stays open until closed.
/// </remarks>
public sealed record FileSpec : PortSpec<FileSpec>
{
    private readonly string _path;
    private readonly FileAccess _access;

    internal FileSpec(string path, FileAccess access)
    {
        _path = path;
        _access = access;
    }

    private TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The path, as given.</summary>
    public override string Name => _path;

    /// <summary>How long opening a FIFO for writing waits for a reader (default 30 s); then the start fails with <see cref="TimeoutException"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    [Pure]
    public FileSpec WithOpenTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return this with { OpenTimeout = timeout };
    }

    /// <summary>Opens the file now, on the calling thread (never blocking: see the remarks), and returns the port.</summary>
    /// <exception cref="IOException">
    /// The file cannot be opened: the errno is in <see cref="Exception.HResult"/> and the message — ENOENT for a
    /// missing file (Erlang says einval), EACCES without permission, EISDIR for a directory, ENXIO for a
    /// device or socket that cannot be opened.
    /// </exception>
    /// <exception cref="InvalidOperationException">Options contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public override Port Open()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("File ports run on Linux only.");
        Options.Validate();
        var loop = LoopToOpenOn();
        int flags = _access switch
        {
            FileAccess.Read => Libc.O_RDONLY,
            FileAccess.Write => Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC,
            _ => Libc.O_RDWR | Libc.O_CREAT,
        } | Libc.O_NONBLOCK | Libc.O_NOCTTY;
        int rc = Libc.TryOpen(_path, flags, 0x1B6 /* 0666 */, out var handle);
        // ENXIO: a FIFO without a reader yet (a socket or a missing device says it too, and fails).
        if (rc < 0 && !(rc == -Libc.ENXIO && Libc.FileType(_path) == Libc.S_IFIFO)) throw Libc.IOError("open", -rc, _path);
        if (handle is not null && Libc.FileType(handle) == Libc.S_IFDIR)
        {
            handle.Dispose();
            throw Libc.IOError("open", Libc.EISDIR, _path);
        }
        bool read = _access != FileAccess.Write, write = _access != FileAccess.Read;
        var driver = new VanillaDriver(_path, flags, read, write, handle, OpenTimeout);
        var port = new Port(loop, driver, Options with { HasInput = write, HasOutput = read }, Name);
        port.Start();
        return port;
    }
}

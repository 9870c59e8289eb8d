using System.Collections.Immutable;
using System.Text;

namespace ReactivePorts.Spawning;

/// <summary>
/// Everything needed to start one process, checked and frozen: an absolute executable path, argv and
/// envp as bytes, an optional working directory (paths are bytes too), the child's descriptors, and whether the child leads a
/// new process group. Strings become UTF-8; a NUL anywhere is refused here, before any process exists.
/// </summary>
internal sealed class SpawnStartInfo
{
    private readonly byte[][] _arguments;
    private readonly byte[][] _environment;

    /// <param name="executable">Absolute path of the program (see <see cref="ExecutablePath"/> to resolve one).</param>
    /// <param name="arguments">argv, including argv[0].</param>
    /// <param name="environment">envp entries, each <c>NAME=value</c>.</param>
    /// <param name="fds">The child's descriptors by number; every other descriptor is closed in the child.</param>
    /// <param name="workingDirectory">The child's directory; a relative one is resolved now against the current directory.</param>
    /// <param name="newProcessGroup">Start the child as the leader of a new process group (so a group signal reaches its descendants).</param>
    /// <exception cref="ArgumentException">A path is not absolute or holds a NUL; argv is empty; an entry holds a NUL byte; an envp entry has no '='; a descriptor number is negative.</exception>
    /// <exception cref="ArgumentNullException">A required argument or element is null.</exception>
    internal SpawnStartInfo(
        string executable,
        IEnumerable<byte[]> arguments,
        IEnumerable<byte[]> environment,
        IEnumerable<KeyValuePair<int, SpawnFd>> fds,
        string? workingDirectory = null,
        bool newProcessGroup = false)
        : this(executable, arguments, EnvironmentBlock.Check(CopyChecked(environment ?? throw new ArgumentNullException(nameof(environment)), nameof(environment))),
            fds, workingDirectory, newProcessGroup)
    {
    }

    /// <summary>As the other constructor, with an environment already checked (shared, not copied).</summary>
    internal SpawnStartInfo(
        string executable,
        IEnumerable<byte[]> arguments,
        EnvironmentBlock environment,
        IEnumerable<KeyValuePair<int, SpawnFd>> fds,
        string? workingDirectory = null,
        bool newProcessGroup = false)
        : this(Encode(executable, nameof(executable)), arguments, environment, fds,
            workingDirectory is null ? null : Encode(workingDirectory, nameof(workingDirectory)), newProcessGroup)
    {
    }

    /// <summary>As the other constructors, with the paths as bytes (file names need not be UTF-8).</summary>
    internal SpawnStartInfo(
        byte[] executable,
        IEnumerable<byte[]> arguments,
        EnvironmentBlock environment,
        IEnumerable<KeyValuePair<int, SpawnFd>> fds,
        byte[]? workingDirectory,
        bool newProcessGroup)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(fds);

        if (executable.AsSpan().Contains((byte)0)) throw new ArgumentException("A path cannot contain a NUL character.", nameof(executable));
        if (executable.Length == 0 || executable[0] != (byte)'/')
            throw new ArgumentException($"The executable path must be absolute, not '{Encoding.UTF8.GetString(executable)}'.", nameof(executable));
        ExecutableBytes = (byte[])executable.Clone();

        _arguments = CopyChecked(arguments, nameof(arguments));
        if (_arguments.Length == 0) throw new ArgumentException("argv needs at least argv[0].", nameof(arguments));

        _environment = environment.Entries;

        var builder = ImmutableSortedDictionary.CreateBuilder<int, SpawnFd>();
        foreach ((int target, SpawnFd fd) in fds)
        {
            if (target < 0) throw new ArgumentException($"A descriptor number cannot be negative ({target}).", nameof(fds));
            ArgumentNullException.ThrowIfNull(fd, nameof(fds));
            if (!builder.TryAdd(target, fd)) throw new ArgumentException($"Descriptor {target} is mapped twice.", nameof(fds));
        }
        Fds = builder.ToImmutable();

        if (workingDirectory is not null)
        {
            if (workingDirectory.AsSpan().Contains((byte)0)) throw new ArgumentException("The value cannot contain a NUL character.", nameof(workingDirectory));
            if (workingDirectory.Length == 0) throw new ArgumentException("The working directory cannot be empty.", nameof(workingDirectory));
            WorkingDirectoryBytes = ExecutablePath.Absolute(workingDirectory);
        }

        NewProcessGroup = newProcessGroup;
    }

    /// <summary>The absolute path posix_spawn runs, as text (bytes that are not UTF-8 show as U+FFFD).</summary>
    internal string Executable => Encoding.UTF8.GetString(ExecutableBytes);

    /// <summary>The absolute path posix_spawn runs, exactly.</summary>
    internal byte[] ExecutableBytes { get; }

    /// <summary>argv, including argv[0], without terminating NULs.</summary>
    internal IReadOnlyList<ReadOnlyMemory<byte>> Arguments => Array.ConvertAll(_arguments, a => (ReadOnlyMemory<byte>)a);

    /// <summary>envp entries (<c>NAME=value</c>), without terminating NULs.</summary>
    internal IReadOnlyList<ReadOnlyMemory<byte>> Environment => Array.ConvertAll(_environment, e => (ReadOnlyMemory<byte>)e);

    /// <summary>The child's descriptors, by number in ascending order.</summary>
    internal ImmutableSortedDictionary<int, SpawnFd> Fds { get; }

    /// <summary>The absolute directory the child starts in, as text, or null to inherit the parent's.</summary>
    internal string? WorkingDirectory => WorkingDirectoryBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The absolute directory the child starts in, exactly, or null to inherit the parent's.</summary>
    internal byte[]? WorkingDirectoryBytes { get; }

    /// <summary>Whether the child leads a new process group (its pgid is its pid).</summary>
    internal bool NewProcessGroup { get; }

    internal ReadOnlySpan<byte[]> RawArguments => _arguments;

    internal ReadOnlySpan<byte[]> RawEnvironment => _environment;

    /// <summary>UTF-8 bytes of a string for argv or envp.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains a NUL character.</exception>
    internal static byte[] Encode(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        RejectNul(value, paramName);
        return Encoding.UTF8.GetBytes(value);
    }

    /// <summary>UTF-8 bytes of each string, for argv.</summary>
    /// <exception cref="ArgumentException">A string contains a NUL character.</exception>
    internal static IEnumerable<byte[]> Encode(IEnumerable<string> values, string paramName) =>
        values.Select(v => Encode(v, paramName)).ToArray();

    private static void RejectNul(string value, string paramName)
    {
        if (value.Contains('\0')) throw new ArgumentException("The value cannot contain a NUL character.", paramName);
    }

    private static byte[][] CopyChecked(IEnumerable<byte[]> items, string paramName)
    {
        var copies = new List<byte[]>();
        foreach (byte[] item in items)
        {
            ArgumentNullException.ThrowIfNull(item, paramName);
            if (item.AsSpan().Contains((byte)0))
                throw new ArgumentException("An argument or environment entry cannot contain a NUL byte.", paramName);
            copies.Add((byte[])item.Clone());
        }
        return copies.ToArray();
    }
}

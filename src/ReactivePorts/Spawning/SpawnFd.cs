using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// What one descriptor of a child refers to: a duplicate of a parent descriptor, or
/// <c>/dev/null</c> opened read-write (the child's end of a stream nobody observes).
/// </summary>
/// <remarks>
/// O_NONBLOCK lives on the open file description, which a duplicate shares: hand a child a
/// blocking descriptor, and make only the parent's end non-blocking.
/// </remarks>
internal sealed class SpawnFd
{
    private SpawnFd(SafeFdHandle? source) => Source = source;

    /// <summary><c>/dev/null</c>, opened O_RDWR in the child.</summary>
    internal static SpawnFd DevNull { get; } = new(null);

    /// <summary>The parent descriptor to duplicate, or null for <see cref="DevNull"/>. Not owned: the caller closes it after the start.</summary>
    internal SafeFdHandle? Source { get; }

    /// <summary>A duplicate of <paramref name="source"/> (dup2 in the child; close-on-exec is cleared on the copy).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    internal static SpawnFd Dup(SafeFdHandle source) => new(source ?? throw new ArgumentNullException(nameof(source)));

    /// <inheritdoc/>
    public override string ToString() => Source is null ? "/dev/null" : $"dup of fd {(Source.IsClosed ? "(closed)" : Source.Fd)}";
}

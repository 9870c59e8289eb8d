using System.Text;
using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// Turns what a user names into the absolute path that is run. A relative path is resolved once,
/// against the current directory at the call, so the file checked is the file started (a later
/// working-directory change for the child does not move it). PATH is searched only when asked.
/// Paths are bytes underneath (file names need not be UTF-8); the string forms encode as UTF-8.
/// </summary>
internal static class ExecutablePath
{
    /// <summary>
    /// <paramref name="path"/> made absolute against the current directory, textually (no symlink or
    /// ".." folding, so the kernel resolves it exactly as given).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or holds a NUL.</exception>
    internal static string Absolute(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0')) throw new ArgumentException("A path cannot contain a NUL character.", nameof(path));
        return path.StartsWith('/') ? path : Path.Join(Directory.GetCurrentDirectory(), path);
    }

    /// <summary>As <see cref="Absolute(string)"/>, in bytes: the current directory is getcwd's own bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or holds a NUL.</exception>
    internal static byte[] Absolute(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty) throw new ArgumentException("A path cannot be empty.", nameof(path));
        if (path.Contains((byte)0)) throw new ArgumentException("A path cannot contain a NUL byte.", nameof(path));
        if (path[0] == (byte)'/') return path.ToArray();
        byte[] cwd = Libc.GetCurrentDirectoryBytes();
        bool slash = cwd.Length > 0 && cwd[^1] == (byte)'/';
        return [.. cwd, .. slash ? ReadOnlySpan<byte>.Empty : "/"u8, .. path];
    }

    /// <summary>
    /// Finds <paramref name="name"/> the way execvp does, but before the start: a name holding a
    /// '/' is only made absolute; otherwise each PATH entry is tried in order (an empty entry meaning
    /// the current directory), and the first non-directory the caller may execute wins.
    /// </summary>
    /// <param name="name">A program name ("cat") or a path.</param>
    /// <param name="searchPath">The PATH to search; null means this process's PATH, or "/bin:/usr/bin" if unset.</param>
    /// <exception cref="PortSpawnException">Nothing suitable was found (stage Executable): ENOENT, or EACCES if only non-executable candidates exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a NUL.</exception>
    internal static string Search(string name, string? searchPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0')) throw new ArgumentException("A name cannot contain a NUL character.", nameof(name));
        return Encoding.UTF8.GetString(Search(Encoding.UTF8.GetBytes(name), searchPath));
    }

    /// <summary>As <see cref="Search(string, string?)"/>, with the name in bytes.</summary>
    internal static byte[] Search(ReadOnlySpan<byte> name, string? searchPath = null)
    {
        if (name.IsEmpty) throw new ArgumentException("A name cannot be empty.", nameof(name));
        if (name.Contains((byte)0)) throw new ArgumentException("A name cannot contain a NUL byte.", nameof(name));
        if (name.Contains((byte)'/')) return Absolute(name);

        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "/bin:/usr/bin";
        bool deniedSomewhere = false;
        foreach (string directory in searchPath.Split(':'))
        {
            byte[] candidate = Absolute([.. Encoding.UTF8.GetBytes(directory.Length == 0 ? "." : directory), (byte)'/', .. name]);
            if (IsDirectory(candidate)) continue;
            int result = Libc.Access(candidate, Libc.X_OK);
            if (result == 0) return candidate;
            // Like execvp: a candidate that exists but may not be run is remembered, then skipped.
            deniedSomewhere |= result == -Libc.EACCES;
        }
        int errno = deniedSomewhere ? Libc.EACCES : Libc.ENOENT;
        byte[] bytes = name.ToArray();
        string shown = Encoding.UTF8.GetString(bytes);
        throw new PortSpawnException(PortSpawnStage.Executable, errno, bytes,
            $"Cannot find '{shown}' in PATH (stage Executable): {Libc.ErrnoName(errno)} ({Libc.StrError(errno)}).");
    }

    private static bool IsDirectory(ReadOnlySpan<byte> path)
    {
        int result = Libc.TryOpen(path, Libc.O_PATH | Libc.O_DIRECTORY, 0, out SafeFdHandle? handle);
        handle?.Dispose();
        return result == 0;
    }
}

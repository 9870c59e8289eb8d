using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// Turns what a user names into the absolute path that is run. A relative path is resolved once,
/// against the current directory at the call, so the file checked is the file started (a later
/// working-directory change for the child does not move it). PATH is searched only when asked.
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

    /// <summary>
    /// Finds <paramref name="name"/> the way execvp does, but before the start: a name holding a
    /// '/' is only made absolute; otherwise each PATH entry is tried in order (an empty entry meaning
    /// the current directory), and the first regular file the caller may execute wins.
    /// </summary>
    /// <param name="name">A program name ("cat") or a path.</param>
    /// <param name="searchPath">The PATH to search; null means this process's PATH, or "/bin:/usr/bin" if unset.</param>
    /// <exception cref="PortSpawnException">Nothing suitable was found: ENOENT, or EACCES if only non-executable candidates exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or holds a NUL.</exception>
    internal static string Search(string name, string? searchPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/')) return Absolute(name);
        if (name.Contains('\0')) throw new ArgumentException("A name cannot contain a NUL character.", nameof(name));

        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "/bin:/usr/bin";
        bool deniedSomewhere = false;
        foreach (string directory in searchPath.Split(':'))
        {
            string candidate = Absolute(Path.Join(directory.Length == 0 ? "." : directory, name));
            if (Directory.Exists(candidate)) continue;
            int result = Libc.Access(candidate, Libc.X_OK);
            if (result == 0) return candidate;
            // Like execvp: a candidate that exists but may not be run is remembered, then skipped.
            deniedSomewhere |= result == -Libc.EACCES;
        }
        int errno = deniedSomewhere ? Libc.EACCES : Libc.ENOENT;
        throw new PortSpawnException(errno, name, $"Cannot find '{name}' in PATH: {Libc.ErrnoName(errno)} ({Libc.StrError(errno)}).");
    }
}

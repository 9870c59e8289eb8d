namespace ReactivePorts.Reliability.Tests.Invariants;

/// <summary>
/// What this process holds, read from /proc: open descriptors, threads, child processes (zombies
/// among them) and the managed heap after a full collection. The measurements the leak checks
/// compare; no dependency on a test framework, so any harness (a test, the soak, a simulation) can use them.
/// </summary>
public static class ProcessProbe
{
    /// <summary>
    /// Open descriptors of this process: fd → what it refers to (readlink of /proc/self/fd/N). Left
    /// out: the descriptor of the listing itself, and, unless <paramref name="includeAssemblies"/>,
    /// managed assemblies and native libraries (the runtime keeps the image of every assembly it loads
    /// open, and loads some lazily, mid-run: System.Console when a test first writes its output).
    /// </summary>
    public static SortedDictionary<int, string> OpenFds(bool includeAssemblies = false)
    {
        string listing = $"/proc/{Environment.ProcessId}/fd";
        var fds = new SortedDictionary<int, string>();
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int fd)) continue;
            string target;
            try
            {
                target = new FileInfo(entry).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                // The descriptor was closed between the listing and the readlink (the listing's own
                // descriptor, or another thread's): it is not open any more.
                continue;
            }
            if (target == listing) continue;
            if (!includeAssemblies && (target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".so", StringComparison.Ordinal))) continue;
            fds[fd] = target;
        }
        return fds;
    }

    /// <summary>The number of threads of this process.</summary>
    public static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>Names of this process's threads (for reports).</summary>
    public static List<string> ThreadNames() => Directory.GetDirectories("/proc/self/task")
        .Select(t => ReadOrNull($"{t}/comm")?.Trim() ?? "?").OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>Child processes of this process, with their state letter (R, S, D, Z, T…), from /proc/*/stat.</summary>
    public static List<(int Pid, char State, string Name)> Children()
    {
        int self = Environment.ProcessId;
        var children = new List<(int, char, string)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string? stat = ReadOrNull($"{dir}/stat");
            if (stat is null) continue;
            // "pid (comm) S ppid …": comm may hold spaces and parentheses, so split after the last ')'.
            int close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            if (int.Parse(fields[1]) != self) continue;
            int open = stat.IndexOf('(');
            children.Add((pid, fields[0][0], stat[(open + 1)..close]));
        }
        return children;
    }

    /// <summary>Children that exited and were never reaped.</summary>
    public static List<int> ZombieChildren() => Children().Where(c => c.State == 'Z').Select(c => c.Pid).ToList();

    /// <summary>Managed heap bytes after full, compacting, blocking collections with finalizers run in between.</summary>
    public static long ManagedMemoryAfterFullCollection()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // The process or thread went away while we looked.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process: never our child.
            return null;
        }
    }
}

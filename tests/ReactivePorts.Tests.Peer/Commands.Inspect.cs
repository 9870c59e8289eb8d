using System.Text;

namespace ReactivePortsPeer;

internal static partial class Commands
{
    private const int O_CLOEXEC = 0x80000; // 02000000 in fdinfo's octal "flags:" line

    /// <summary>
    /// list-fds [--all]: prints the numbers of the descriptors that crossed exec, one per line, ascending.
    /// The .NET runtime opens a dozen descriptors of its own before Main, all close-on-exec; an inherited
    /// descriptor never is (exec would have closed it), so "without O_CLOEXEC" is exactly "inherited".
    /// --all prints every descriptor as "&lt;fd&gt; &lt;cloexec|inherited&gt; &lt;target&gt;".
    /// </summary>
    private static int ListFds(string[] args)
    {
        bool all = args.Length > 0 && args[0] == "--all";
        var lines = new StringBuilder();
        var fds = Directory.GetFileSystemEntries("/proc/self/fd").Select(p => int.Parse(Path.GetFileName(p))).Order();
        foreach (int fd in fds)
        {
            string flagsLine;
            try
            {
                flagsLine = File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("flags:"));
            }
            catch (IOException)
            {
                continue; // the directory enumeration's own descriptor, already closed
            }
            bool inherited = (Convert.ToInt32(flagsLine["flags:".Length..].Trim(), 8) & O_CLOEXEC) == 0;
            if (all) lines.Append($"{fd} {(inherited ? "inherited" : "cloexec")} {new FileInfo($"/proc/self/fd/{fd}").LinkTarget}\n");
            else if (inherited) lines.Append($"{fd}\n");
        }
        Std.Write(Std.Out, lines.ToString());
        return 0;
    }

    /// <summary>
    /// signal-state: prints the SigBlk, SigIgn and SigCgt lines of /proc/self/status. SigBlk is what the
    /// child was started with; SigIgn/SigCgt already include the runtime's own changes (it ignores SIGPIPE).
    /// </summary>
    private static int SignalState(string[] args)
    {
        var lines = File.ReadLines("/proc/self/status").Where(l => l.StartsWith("SigBlk:") || l.StartsWith("SigIgn:") || l.StartsWith("SigCgt:"));
        Std.Write(Std.Out, string.Concat(lines.Select(l => l + "\n")));
        return 0;
    }

    /// <summary>args: prints each argument after the command on its own line (as the runtime decoded it).</summary>
    private static int Args(string[] args)
    {
        Std.Write(Std.Out, string.Concat(args.Select(a => a + "\n")));
        return 0;
    }

    /// <summary>
    /// args0: writes the exact bytes of each argument after the command, each followed by a NUL, taken from
    /// /proc/self/cmdline (so bytes that are not UTF-8 come back unchanged).
    /// </summary>
    private static int ArgsRaw(string[] args)
    {
        byte[][] all = SplitNul(File.ReadAllBytes("/proc/self/cmdline"));
        WriteNulTerminated(all[^args.Length..]);
        return 0;
    }

    /// <summary>env: prints the environment the process was started with, "NAME=value" lines sorted by bytes.</summary>
    private static int Env(string[] args)
    {
        var entries = SplitNul(File.ReadAllBytes("/proc/self/environ")).Select(Encoding.UTF8.GetString).Order(StringComparer.Ordinal);
        Std.Write(Std.Out, string.Concat(entries.Select(e => e + "\n")));
        return 0;
    }

    /// <summary>env0: the exact bytes of /proc/self/environ entries, sorted, each followed by a NUL.</summary>
    private static int EnvRaw(string[] args)
    {
        var entries = SplitNul(File.ReadAllBytes("/proc/self/environ")).Order(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        WriteNulTerminated(entries);
        return 0;
    }

    /// <summary>cwd: prints the current directory and a newline.</summary>
    private static int Cwd(string[] args)
    {
        Std.Write(Std.Out, Environment.CurrentDirectory + "\n");
        return 0;
    }

    /// <summary>pid: prints the process id and its process group id ("pid pgid").</summary>
    private static int Pid(string[] args)
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Std.Write(Std.Out, $"{Environment.ProcessId} {fields[2]}\n");
        return 0;
    }

    private static byte[][] SplitNul(byte[] data)
    {
        var items = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            items.Add(data[start..i]);
            start = i + 1;
        }
        if (start < data.Length) items.Add(data[start..]);
        return items.ToArray();
    }

    private static void WriteNulTerminated(IEnumerable<byte[]> items)
    {
        var output = new MemoryStream();
        foreach (byte[] item in items)
        {
            output.Write(item);
            output.WriteByte(0);
        }
        Std.Write(Std.Out, output.ToArray());
    }
}

using System.Buffers.Binary;

namespace ReactivePortsPeer;

internal static partial class Commands
{
    /// <summary>echo: copies stdin to stdout until end of file, then exits 0.</summary>
    private static int Echo(string[] args)
    {
        Std.Copy(Std.In, Std.Out);
        return 0;
    }

    /// <summary>
    /// lp-echo &lt;1|2|4&gt;: reads {packet,N} frames (N-byte big-endian length, then payload) and writes each
    /// back framed the same way, one write per frame. Exits 0 at end of file between frames, 65 inside one.
    /// </summary>
    private static int LengthPrefixEcho(string[] args)
    {
        int prefix = IntArg(args, 0);
        if (prefix is not (1 or 2 or 4)) throw new ArgumentException("prefix must be 1, 2 or 4");
        byte[] header = new byte[prefix];
        while (true)
        {
            int got = Std.ReadFull(Std.In, header);
            if (got == 0) return 0;
            if (got < prefix) return 65;
            long length = prefix switch
            {
                1 => header[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(header),
                _ => BinaryPrimitives.ReadUInt32BigEndian(header),
            };
            byte[] frame = new byte[prefix + length];
            header.CopyTo(frame, 0);
            if (Std.ReadFull(Std.In, frame.AsSpan(prefix)) < length) return 65;
            Std.Write(Std.Out, frame);
        }
    }

    /// <summary>flood &lt;bytes&gt; [chunk]: writes <see cref="FloodPattern"/> bytes 0..n-1 in chunks (default 64 KiB), exits 0.</summary>
    private static int Flood(string[] args)
    {
        WritePattern(LongArg(args, 0), IntArg(args, 1, 64 * 1024));
        return 0;
    }

    /// <summary>write-exit &lt;bytes&gt; &lt;code&gt;: flood, then exit with the code.</summary>
    private static int WriteExit(string[] args)
    {
        WritePattern(LongArg(args, 0), 64 * 1024);
        return IntArg(args, 1);
    }

    private static void WritePattern(long total, int chunk)
    {
        if (chunk <= 0) throw new ArgumentException("chunk must be positive");
        byte[] buffer = new byte[(int)Math.Min(chunk, Math.Max(total, 1))];
        for (long sent = 0; sent < total;)
        {
            int n = (int)Math.Min(buffer.Length, total - sent);
            FloodPattern.Fill(buffer.AsSpan(0, n), sent);
            Std.Write(Std.Out, buffer.AsSpan(0, n));
            sent += n;
        }
    }

    /// <summary>
    /// close-stdout-linger &lt;ms&gt;: closes stdout so the reader sees end of file, stays alive ms, exits 0.
    /// The .NET runtime keeps a close-on-exec dup of fds 0-2 from startup (fds 5-7 here), so closing fd 1
    /// alone would leave the pipe open: every descriptor above 2 that is the same pipe is closed as well.
    /// </summary>
    private static int CloseStdoutLinger(string[] args)
    {
        string? target = new FileInfo("/proc/self/fd/1").LinkTarget;
        foreach (string entry in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            int fd = int.Parse(Path.GetFileName(entry));
            if (fd > 2 && target is not null && new FileInfo(entry).LinkTarget == target) Native.Close(fd);
        }
        Native.Close(1);
        Thread.Sleep(IntArg(args, 0));
        return 0;
    }

    /// <summary>stderr &lt;text&gt;: writes the text (UTF-8, no newline added) to stderr, exits 0.</summary>
    private static int StdErr(string[] args)
    {
        Std.Write(Std.Err, args.Length > 0 ? args[0] : throw new ArgumentException("text is missing"));
        return 0;
    }

    /// <summary>use-fds: Erlang's nouse_stdio; copies fd 3 to fd 4 until end of file, exits 0.</summary>
    private static int UseFds(string[] args)
    {
        using Stream input = Std.OpenFd(3, FileAccess.Read), output = Std.OpenFd(4, FileAccess.Write);
        Std.Copy(input, output);
        return 0;
    }

    /// <summary>read-sizes: prints the byte count of every read(2) from stdin, one per line, until end of file (shows how writes were coalesced).</summary>
    private static int ReadSizes(string[] args)
    {
        byte[] buffer = new byte[1 << 20];
        var sizes = new System.Text.StringBuilder();
        int n;
        while ((n = Std.In.Read(buffer)) > 0) sizes.Append(n).Append('\n');
        Std.Write(Std.Out, sizes.ToString());
        return 0;
    }

    /// <summary>write-fds &lt;fd&gt;...: writes "&lt;fd&gt;\n" to each descriptor named, exits 0.</summary>
    private static int WriteFds(string[] args)
    {
        foreach (string arg in args)
        {
            using Stream output = Std.OpenFd(int.Parse(arg), FileAccess.Write);
            Std.Write(output, $"{arg}\n");
        }
        return 0;
    }
}

using System.Text;

namespace ReactivePortsPeer;

/// <summary>Unbuffered access to the standard streams and to any inherited descriptor.</summary>
internal static class Std
{
    // Straight over fds 0, 1 and 2 (see FdStream for why not Console.OpenStandard* or FileStream).
    internal static readonly Stream In = OpenFd(0, FileAccess.Read);
    internal static readonly Stream Out = OpenFd(1, FileAccess.Write);
    internal static readonly Stream Err = OpenFd(2, FileAccess.Write);

    /// <summary>An unbuffered stream over an inherited descriptor (not owned: never closed here).</summary>
    internal static Stream OpenFd(int fd, FileAccess access) =>
        new FdStream(fd, access.HasFlag(FileAccess.Read), access.HasFlag(FileAccess.Write));

    internal static void Write(Stream stream, ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        stream.Flush();
    }

    internal static void Write(Stream stream, string text) => Write(stream, Encoding.UTF8.GetBytes(text));

    internal static void Error(string text)
    {
        try
        {
            Write(Err, text);
        }
        catch (IOException)
        {
            // stderr itself is gone: nothing more can be reported.
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or end of file; returns the count read.</summary>
    internal static int ReadFull(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> until end of file, flushing every chunk.</summary>
    internal static void Copy(Stream from, Stream to)
    {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = from.Read(buffer)) > 0) Write(to, buffer.AsSpan(0, n));
    }
}

using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ReactivePortsPeer;

/// <summary>Unbuffered access to the standard streams and to any inherited descriptor.</summary>
internal static class Std
{
    internal static readonly Stream In = Console.OpenStandardInput();
    internal static readonly Stream Out = Console.OpenStandardOutput();
    internal static readonly Stream Err = Console.OpenStandardError();

    /// <summary>An unbuffered stream over an inherited descriptor (not owned: never closed here).</summary>
    internal static FileStream OpenFd(int fd, FileAccess access) =>
        new(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);

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

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Drivers.Fd;

/// <summary>Descriptors for fd and vanilla port tests, and blocking I/O on the test's side of them (off the test thread).</summary>
internal static unsafe partial class FdTestKit
{
    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPairRaw(int domain, int type, int protocol, int* fds);

    /// <summary>A connected pair of AF_UNIX stream sockets (blocking, close-on-exec).</summary>
    public static (SafeFdHandle A, SafeFdHandle B) SocketPair()
    {
        int* fds = stackalloc int[2];
        const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
        if (SocketPairRaw(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw Libc.IOError("socketpair", Marshal.GetLastPInvokeError());
        return (new SafeFdHandle(fds[0]), new SafeFdHandle(fds[1]));
    }

    /// <summary>
    /// What descriptor <paramref name="fd"/> is open on ("pipe:[inode]", a path), or null when it is closed:
    /// tells a descriptor apart from a later one that other tests, running meanwhile, opened under the same number.
    /// </summary>
    public static string? Target(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget;

    /// <summary>Whether the descriptor is open (fcntl F_GETFD succeeds).</summary>
    public static bool IsOpen(int fd) => Libc.GetStatusFlags((SafeHandle)new SafeFdHandle(fd, ownsHandle: false)) >= 0;

    public static bool IsNonBlocking(SafeHandle handle) => (Libc.GetStatusFlags(handle) & Libc.O_NONBLOCK) != 0;

    /// <summary>Writes all of <paramref name="data"/> (blocking), on a pool thread.</summary>
    public static Task WriteAllAsync(SafeFdHandle fd, byte[] data) => Task.Run(() =>
    {
        int done = 0;
        while (done < data.Length)
        {
            nint n = Libc.Write(fd.Fd, data.AsSpan(done));
            if (n == -Libc.EAGAIN)
            {
                Libc.PollOne(fd, 4 /* POLLOUT */, 1000);
                continue;
            }
            if (n < 0) throw Libc.IOError("write", (int)-n);
            done += (int)n;
        }
    });

    /// <summary>Reads exactly <paramref name="count"/> bytes (blocking, or polling a non-blocking fd), on a pool thread.</summary>
    public static Task<byte[]> ReadExactlyAsync(SafeFdHandle fd, int count) => Task.Run(() =>
    {
        var buffer = new byte[count];
        int done = 0;
        while (done < count)
        {
            nint n = Libc.Read(fd.Fd, buffer.AsSpan(done));
            if (n == -Libc.EAGAIN)
            {
                Libc.PollOne(fd, 1 /* POLLIN */, 1000);
                continue;
            }
            if (n <= 0) throw new EndOfStreamException($"read returned {n} after {done} of {count} bytes");
            done += (int)n;
        }
        return buffer;
    });

    /// <summary>Reads until end of file (blocking), on a pool thread.</summary>
    public static Task<byte[]> ReadToEndAsync(SafeFdHandle fd) => Task.Run(() =>
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        while (true)
        {
            nint n = Libc.Read(fd.Fd, buffer);
            if (n == -Libc.EAGAIN)
            {
                Libc.PollOne(fd, 1, 1000);
                continue;
            }
            if (n == 0 || n == -Libc.EIO) return all.ToArray(); // EIO: a pty whose slave closed
            if (n < 0) throw Libc.IOError("read", (int)-n);
            all.Write(buffer, 0, (int)n);
        }
    });

    /// <summary><paramref name="payloads"/> framed as <c>{packet,N}</c>.</summary>
    public static byte[] Framed(int header, params byte[][] payloads)
    {
        var all = new MemoryStream();
        foreach (var p in payloads)
        {
            var h = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(h, (uint)p.Length);
            all.Write(h, 4 - header, header);
            all.Write(p);
        }
        return all.ToArray();
    }

    /// <summary>A payload of <paramref name="size"/> bytes with a recognizable pattern (no newline, no 0x0D: a terminal passes it unchanged).</summary>
    public static byte[] Pattern(int size, int seed = 0)
    {
        var data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte)('a' + ((i + seed) % 26));
        return data;
    }
}

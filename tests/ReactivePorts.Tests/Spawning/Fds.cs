using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>Bounded blocking helpers over non-blocking descriptors: poll(2) with a deadline, never a sleep loop.</summary>
internal static class Fds
{
    /// <summary>Reads until end of file. Throws <see cref="TimeoutException"/> if it does not come in time.</summary>
    internal static byte[] ReadToEnd(SafeFdHandle fd, int timeoutMs) => Read(fd, int.MaxValue, timeoutMs, untilEof: true);

    /// <summary>Reads exactly <paramref name="count"/> bytes (fewer only at end of file).</summary>
    internal static byte[] ReadExactly(SafeFdHandle fd, int count, int timeoutMs) => Read(fd, count, timeoutMs, untilEof: false);

    /// <summary>Reads one '\n'-terminated line (without the '\n'), byte by byte.</summary>
    internal static string ReadLine(SafeFdHandle fd, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        var line = new List<byte>();
        while (true)
        {
            byte[] one = Read(fd, 1, (int)Math.Max(0, deadline - Environment.TickCount64), untilEof: false);
            if (one.Length == 0 || one[0] == '\n') return System.Text.Encoding.UTF8.GetString(line.ToArray());
            line.Add(one[0]);
        }
    }

    private static byte[] Read(SafeFdHandle fd, int limit, int timeoutMs, bool untilEof)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        var data = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        while (data.Length < limit)
        {
            nint n = Libc.Read(fd.Fd, buffer.AsSpan(0, (int)Math.Min(buffer.Length, limit - data.Length)));
            if (n > 0)
            {
                data.Write(buffer, 0, (int)n);
                continue;
            }
            if (n == 0) break;
            if (n != -Libc.EAGAIN) throw Libc.IOError("read", (int)-n);
            int left = (int)(deadline - Environment.TickCount64);
            if (left <= 0 || Libc.PollOne(fd, Libc.POLLIN, left) == 0)
                throw new TimeoutException($"No {(untilEof ? "end of file" : "data")} within {timeoutMs} ms ({data.Length} bytes read).");
        }
        return data.ToArray();
    }

    /// <summary>Writes everything to a non-blocking descriptor, waiting for room with poll.</summary>
    internal static void WriteAll(SafeFdHandle fd, ReadOnlySpan<byte> data, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (!data.IsEmpty)
        {
            nint n = Libc.Write(fd.Fd, data);
            if (n > 0)
            {
                data = data[(int)n..];
                continue;
            }
            if (n != -Libc.EAGAIN) throw Libc.IOError("write", (int)-n);
            int left = (int)(deadline - Environment.TickCount64);
            if (left <= 0 || Libc.PollOne(fd, Libc.POLLOUT, left) == 0) throw new TimeoutException("No room to write.");
        }
    }

    /// <summary>Waits (poll on the pidfd) until the child has exited, then reaps it.</summary>
    internal static ExitStatus WaitForExit(ChildProcess process, int timeoutMs)
    {
        if (process.Status is { } known) return known;
        int ready = Libc.PollOne(process.PidFd!, Libc.POLLIN, timeoutMs);
        if (ready == 0) throw new TimeoutException($"Process {process.Pid} did not exit within {timeoutMs} ms.");
        if (ready < 0) throw Libc.IOError("poll", -ready);
        return process.TryReap() ?? throw new InvalidOperationException("The pidfd was readable but waitid found no exit.");
    }
}

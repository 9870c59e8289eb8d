using System.Buffers;
using ReactivePorts.Interop;

namespace ReactivePorts.Polling.Backends;

// The real descriptors' I/O: read/readv and write/writev, EINTR retried by the wrappers.
internal sealed unsafe partial class EpollBackend
{
    private const int MaxGather = 64;

    [ThreadStatic] private static MemoryHandle[]? t_handles; // pins for one writev at a time per thread

    public nint Read(int fd, Span<byte> first, Span<byte> second, Span<byte> third) =>
        second.IsEmpty && third.IsEmpty ? Libc.Read(fd, first) : Libc.ReadV(fd, first, second, third);

    public int SetNonBlocking(int fd, bool nonBlocking) => Libc.SetNonBlocking(fd, nonBlocking);

    public int GetStatusFlags(int fd) => Libc.FcntlRetrying(fd, Libc.F_GETFL, 0);

    public nint Write(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        if (first.IsEmpty) return Libc.Write(fd, second);
        if (second.IsEmpty) return Libc.Write(fd, first);
        fixed (byte* a = first, b = second)
        {
            Span<Libc.IoVector> iov = [new Libc.IoVector(a, first.Length), new Libc.IoVector(b, second.Length)];
            return Libc.WriteV(fd, iov);
        }
    }

    public nint WriteGather(int fd, ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        if (segments.Length == 1) return Libc.Write(fd, segments[0].Span);
        int count = Math.Min(segments.Length, MaxGather);
        Span<Libc.IoVector> iov = stackalloc Libc.IoVector[count];
        // Pinned for the call only: the segments are the port's queue, which nothing changes meanwhile.
        var handles = t_handles ??= new MemoryHandle[MaxGather];
        try
        {
            for (int i = 0; i < count; i++)
            {
                handles[i] = segments[i].Pin();
                iov[i] = new Libc.IoVector((byte*)handles[i].Pointer, segments[i].Length);
            }
            return Libc.WriteV(fd, iov);
        }
        finally
        {
            for (int i = 0; i < count; i++) handles[i].Dispose();
        }
    }
}

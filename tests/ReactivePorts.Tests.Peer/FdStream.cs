using System.Runtime.InteropServices;

namespace ReactivePortsPeer;

/// <summary>
/// A stream straight over read(2)/write(2) on a descriptor it does not own. Unlike Console.OpenStandard*
/// it does not dup the descriptor (a dup would keep a pipe open after the peer closes fd 1), and unlike
/// FileStream it never uses pread/pwrite at a cached offset (which clobbers a shared regular file).
/// </summary>
internal sealed partial class FdStream(int fd, bool canRead, bool canWrite) : Stream
{
    public override bool CanRead => canRead;
    public override bool CanWrite => canWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = ReadRaw(fd, p, buffer.Length);
                if (n >= 0) return (int)n;
                ThrowUnlessInterrupted("read");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            for (int done = 0; done < buffer.Length;)
            {
                nint n = WriteRaw(fd, p + done, buffer.Length - done);
                if (n >= 0) done += (int)n;
                else ThrowUnlessInterrupted("write");
            }
        }
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void ThrowUnlessInterrupted(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno != 4) throw new IOException($"{call} fd {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadRaw(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteRaw(int fd, byte* buffer, nint count);
}

using System.Buffers.Binary;

namespace ReactivePorts;

/// <summary>
/// Control operations of fd ports (<see cref="Port.OpenFd(int, int)"/>, <see cref="Port.OpenStandardStreams"/>),
/// sent with <see cref="Port.Control"/> or <see cref="Port.ControlAsync"/>.
/// </summary>
public static class FdControl
{
    /// <summary>
    /// The terminal's window size (Erlang's fd driver operation <c>FD_CTRL_OP_GET_WINSIZE</c>; Erlang
    /// adds its tty driver's magic number to it, ReactivePorts does not). Asked of the output, then of
    /// the input. The reply is 8 bytes: columns, then rows, each an unsigned 32-bit integer in the
    /// machine's byte order, as Erlang's driver answers (decode it with <see cref="ReadWindowSize"/>).
    /// Neither descriptor a terminal: <see cref="IOException"/> with ENOTTY (<see cref="Exception.HResult"/> 25).
    /// </summary>
    public const int GetWindowSize = 100;

    /// <summary>Decodes the reply of <see cref="GetWindowSize"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="reply"/> is not 8 bytes long.</exception>
    public static (int Columns, int Rows) ReadWindowSize(ReadOnlySpan<byte> reply)
    {
        if (reply.Length != 8) throw new ArgumentException("A window size reply is 8 bytes long.", nameof(reply));
        return BitConverter.IsLittleEndian
            ? ((int)BinaryPrimitives.ReadUInt32LittleEndian(reply), (int)BinaryPrimitives.ReadUInt32LittleEndian(reply[4..]))
            : ((int)BinaryPrimitives.ReadUInt32BigEndian(reply), (int)BinaryPrimitives.ReadUInt32BigEndian(reply[4..]));
    }
}

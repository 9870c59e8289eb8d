using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Drivers.Fd;

// The window-size control operation (Erlang's fd_control, FD_CTRL_OP_GET_WINSIZE).
internal sealed partial class FdDriver
{
    protected override byte[] OnControl(int operation, ReadOnlySpan<byte> data)
    {
        if (operation != FdControl.GetWindowSize) return base.OnControl(operation, data);
        // The output first, then the input, as Erlang asks them.
        int rc = -Libc.ENOTTY;
        Libc.WinSize size = default;
        foreach (var handle in (ReadOnlySpan<SafeHandle?>)[_reopened ?? _outputHandle, _inputHandle])
        {
            if (handle is null) continue;
            rc = Libc.GetWindowSize(handle, out size);
            if (rc == 0) break;
        }
        if (rc < 0) throw Libc.IOError("ioctl(TIOCGWINSZ)", -rc);
        var reply = new byte[8];
        // Columns, then rows, each a 32-bit unsigned integer in the machine's byte order: Erlang's
        // driver copies its two Uint32 as they are in memory.
        MemoryMarshal.Write(reply, (uint)size.Columns);
        MemoryMarshal.Write(reply.AsSpan(4), (uint)size.Rows);
        return reply;
    }
}

#nullable enable
using Microsoft.Win32.SafeHandles;

namespace ReactivePorts.Interop;

/// <summary>
/// Owns one file descriptor and closes it exactly once. Registrations on a poll loop hold a
/// reference (<see cref="System.Runtime.InteropServices.SafeHandle.DangerousAddRef"/>) so the number cannot be closed and reused
/// while the loop may still report it.
/// </summary>
internal sealed class SafeFdHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeFdHandle() : base(ownsHandle: true) { }

    public SafeFdHandle(int fd, bool ownsHandle = true) : base(ownsHandle) => SetHandle(fd);

    /// <summary>The descriptor number. Valid only while the handle is open and referenced.</summary>
    public int Fd => (int)handle;

    // fd 0 is a valid descriptor (stdin), which SafeHandleZeroOrMinusOneIsInvalid would reject.
    public override bool IsInvalid => handle == -1;

    // close(2) is not retried on EINTR: on Linux the descriptor is released either way.
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;

    /// <summary>Wraps the result of a call that returns a descriptor or -1 with errno set.</summary>
    internal static SafeFdHandle FromResult(int fd, string call, string? path = null) =>
        fd >= 0 ? new SafeFdHandle(fd) : throw Libc.IOError(call, Libc.LastErrno, path);
}

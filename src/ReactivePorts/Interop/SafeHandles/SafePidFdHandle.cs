#nullable enable
using Microsoft.Win32.SafeHandles;

namespace ReactivePorts.Interop;

/// <summary>
/// Owns a pidfd (from pidfd_open): a descriptor naming one process, readable once it has exited.
/// Signals and waits go through it, so a recycled pid number can never be hit by mistake.
/// </summary>
internal sealed class SafePidFdHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafePidFdHandle() : base(ownsHandle: true) { }

    public SafePidFdHandle(int fd) : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>The descriptor number. Valid only while the handle is open and referenced.</summary>
    public int Fd => (int)handle;

    public override bool IsInvalid => handle == -1;

    // close(2) is not retried on EINTR: on Linux the descriptor is released either way.
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}

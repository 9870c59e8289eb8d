using System.Runtime.InteropServices;

namespace ReactivePorts.Testing.Virtual;

/// <summary>A SafeHandle for one end of an in-memory device: closing it closes that end (never a real descriptor).</summary>
internal sealed class VirtualFdHandle : SafeHandle
{
    private readonly Action _onClose;

    public VirtualFdHandle(IVirtualDevice device, Action onClose) : base(-1, ownsHandle: true)
    {
        _onClose = onClose;
        SetHandle(VirtualFdTable.Allocate(device));
    }

    public int Fd => (int)handle;

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle()
    {
        VirtualFdTable.Release((int)handle);
        _onClose();
        return true;
    }
}

using System.Runtime.InteropServices;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// A duplex in-memory device for fd ports: two bounded pipes, one each way. The port gets
/// <see cref="PortInput"/> and <see cref="PortOutput"/>
/// (<c>Port.OpenFd(device.PortInput, device.PortOutput).WithScheduler(world.Scheduler)</c>); the
/// test is the peer (<see cref="Write"/>, <see cref="Read"/>). A peer that never reads fills
/// <see cref="Capacity"/> bytes, after which the port's writes queue and the port turns busy, as
/// with a real pipe.
/// </summary>
public sealed class VirtualDevice
{
    private readonly VirtualPipe _toPort;
    private readonly VirtualPipe _fromPort;

    internal VirtualDevice(VirtualWorld world, string name, int capacity)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Name = name;
        _toPort = new VirtualPipe(world.Scheduler, capacity) { Name = $"{name}/in", Faults = world.Faults };
        _fromPort = new VirtualPipe(world.Scheduler, capacity) { Name = $"{name}/out", Faults = world.Faults };
    }

    /// <summary>The device's name (in fault logs).</summary>
    public string Name { get; }

    /// <summary>Bytes each direction holds.</summary>
    public int Capacity => _toPort.Capacity;

    /// <summary>The handle the port reads: what the peer writes.</summary>
    public SafeHandle PortInput => _toPort.Reader;

    /// <summary>The handle the port writes: what the peer reads.</summary>
    public SafeHandle PortOutput => _fromPort.Writer;

    /// <summary>Bytes the port wrote and the peer has not read yet.</summary>
    public int Available => _fromPort.Available;

    /// <summary>The peer writes: returns the count taken (maybe short), or -EAGAIN when full, -EPIPE when the port closed its end.</summary>
    /// <exception cref="ObjectDisposedException">The peer closed its writing end.</exception>
    public int Write(ReadOnlySpan<byte> data) => _toPort.Write(data);

    /// <summary>The peer reads: returns the count, 0 at end of file (the port closed its end), or -EAGAIN.</summary>
    public int Read(Span<byte> destination) => _fromPort.Read(destination);

    /// <summary>Everything the port wrote so far (the peer reads it all).</summary>
    public byte[] ReadAll()
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        int n;
        while ((n = _fromPort.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }

    /// <summary>The peer closes its writing end: the port reads end of file after what is buffered.</summary>
    public void CloseWrite() => _toPort.Writer.Dispose();

    /// <summary>The peer closes its reading end: the port's writes fail with EPIPE.</summary>
    public void CloseRead() => _fromPort.Reader.Dispose();
}

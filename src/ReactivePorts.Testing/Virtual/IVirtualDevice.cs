namespace ReactivePorts.Testing.Virtual;

/// <summary>One end of an in-memory device, known to the virtual poll backend by its fake descriptor number.</summary>
internal interface IVirtualDevice
{
    /// <summary>What a poll would report now (level-triggered, like epoll).</summary>
    ReactivePorts.Polling.PollEvents Readiness { get; }

    /// <summary>read(2) on this end: the byte count, 0 at end of file, or -errno.</summary>
    int Read(Span<byte> destination);

    /// <summary>write(2) on this end: the byte count (maybe short), or -errno.</summary>
    int Write(ReadOnlySpan<byte> source);
}

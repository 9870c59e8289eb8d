namespace ReactivePorts.Testing.Virtual;

/// <summary>One end of an in-memory device, known to the virtual poll backend by its fake descriptor number.</summary>
internal interface IVirtualDevice
{
    /// <summary>What a poll would report now (level-triggered, like epoll).</summary>
    ReactivePorts.Polling.PollEvents Readiness { get; }
}

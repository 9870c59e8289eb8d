namespace ReactivePorts.Drivers;

/// <summary>
/// The OS process behind a port, for drivers that have one (the spawn driver): what the port's
/// process members (<c>Signal</c>, <c>Kill</c>, <c>StopAsync</c>, the exit status) act through. A
/// driver offers it through <see cref="PortDriver.Process"/>; ports of drivers without one have no
/// os pid, and their process members throw <see cref="NotSupportedException"/>.
/// </summary>
/// <remarks>Members are called from any thread.</remarks>
public interface IPortProcess
{
    /// <summary>The process id (its number may name another process once this one has been reaped).</summary>
    int Pid { get; }

    /// <summary>Whether the process has been reaped: its status is known and it can no longer be signalled.</summary>
    bool HasExited { get; }

    /// <summary>Whether the process leads a process group of its own, so <see cref="SignalGroup"/> reaches its descendants.</summary>
    bool HasOwnProcessGroup { get; }

    /// <summary>Sends <paramref name="signal"/> to the process; false once it has been reaped.</summary>
    /// <exception cref="IOException">The signal could not be sent (EINVAL for a bad number).</exception>
    bool Signal(int signal);

    /// <summary>Sends <paramref name="signal"/> to the process's group; false once reaped or when no process is left in the group.</summary>
    /// <exception cref="InvalidOperationException">The process does not lead a group of its own.</exception>
    /// <exception cref="IOException">The signal could not be sent.</exception>
    bool SignalGroup(int signal);
}

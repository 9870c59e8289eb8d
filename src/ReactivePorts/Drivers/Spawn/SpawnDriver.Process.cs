using ReactivePorts.Spawning;

namespace ReactivePorts.Drivers.Spawn;

// The spawn driver's process capability: signals through the child's pidfd, never to a recycled pid.
internal sealed partial class SpawnDriver : IPortProcess
{
    public override IPortProcess Process => this;

    int IPortProcess.Pid => _child.Pid;

    bool IPortProcess.HasExited => _child.Status is not null;

    bool IPortProcess.HasOwnProcessGroup => _child.OwnProcessGroup;

    bool IPortProcess.Signal(int signal)
    {
        try
        {
            return _child.Signal(signal);
        }
        catch (ObjectDisposedException) when (_child.Status is not null)
        {
            // Reaped by the port's watcher (which then closes the pidfd) between the child's own
            // check and the call: the child is gone, which is what false means.
            return false;
        }
    }

    bool IPortProcess.SignalGroup(int signal) => _child.SignalGroup(signal);
}

namespace ReactivePorts.Drivers;

/// <summary>
/// Starts the children of spawn ports opened on one poll loop, in place of the operating system
/// (see <see cref="ProcessLaunchers"/>): <see cref="Port.Spawn"/> and <see cref="Port.SpawnExecutable(string)"/>
/// specs opened on that loop ask it for the driver behind the port instead of starting a process.
/// The port around that driver is the one a real child gets (framing, busy marks, exit order,
/// flush, signals through <see cref="PortDriver.Process"/>), so code that opens ports needs no
/// branch of its own to run against, say, scripted children in virtual time
/// (<c>ReactivePorts.Testing.Virtual.VirtualWorld</c>) or children started somewhere else.
/// </summary>
public interface IProcessLauncher
{
    /// <summary>
    /// Starts what <paramref name="request"/> describes and returns a new driver for its port, one
    /// whose <see cref="PortDriver.Process"/> is not null (the port reports its exit status). Called
    /// on the thread that opens the port; the driver starts on the port's loop.
    /// </summary>
    /// <exception cref="PortSpawnException">Nothing can be started for the request (as a missing executable would).</exception>
    PortDriver Launch(SpawnRequest request);
}

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// Decides the fault of each read and write a port makes on virtual devices (<see cref="VirtualPipe.Faults"/>,
/// <see cref="VirtualWorld"/>): scripted (<see cref="ScriptedFaults"/>), drawn from a seed
/// (<see cref="SeededFaults"/>), or a plan of your own. Virtual time runs on one thread, so the
/// calls come in a fixed order and a plan that answers the same way replays a run exactly.
/// </summary>
public abstract class FaultPlan
{
    /// <summary>The fault for the next port-side call.</summary>
    /// <param name="operation">A read or a write.</param>
    /// <param name="device">The device's name (a child's "worker/stdin", a pipe's own name).</param>
    /// <param name="requested">Bytes the call asks to move.</param>
    public abstract Fault Next(FaultOperation operation, string device, int requested);
}

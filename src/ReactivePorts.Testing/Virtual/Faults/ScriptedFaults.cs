namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// Faults given in order: each port-side read takes the next read fault, each write the next
/// write fault; once a list runs out, calls go through untouched. A burst of EAGAIN is the same
/// fault several times in a row.
/// </summary>
public sealed class ScriptedFaults : FaultPlan
{
    private readonly Queue<Fault> _reads;
    private readonly Queue<Fault> _writes;

    /// <summary>Faults for reads and for writes, in the order calls meet them.</summary>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    public ScriptedFaults(IEnumerable<Fault> reads, IEnumerable<Fault> writes)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(writes);
        _reads = new Queue<Fault>(reads);
        _writes = new Queue<Fault>(writes);
    }

    /// <summary>Faults not met yet (reads and writes).</summary>
    public int Remaining => _reads.Count + _writes.Count;

    /// <inheritdoc/>
    public override Fault Next(FaultOperation operation, string device, int requested)
    {
        var queue = operation == FaultOperation.Read ? _reads : _writes;
        return queue.TryDequeue(out var fault) ? fault : Fault.None;
    }
}

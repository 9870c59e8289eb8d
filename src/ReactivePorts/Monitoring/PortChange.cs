using System.Collections;

namespace ReactivePorts.Monitoring;

/// <summary>Why a row of the live view changed. The values are DynamicData's <c>ChangeReason</c> values for the same reasons, so a cast converts.</summary>
public enum PortChangeReason
{
    /// <summary>A port came into view (in the first change set: a port already open).</summary>
    Add = 0,

    /// <summary>A port's row changed (state, counters, throughput, exit status).</summary>
    Update = 1,

    /// <summary>A port left the view (it exited and its retention passed).</summary>
    Remove = 2,
}

/// <summary>One change to the live view (DynamicData's <c>Change&lt;TObject, TKey&gt;</c>, keyed by <see cref="MonitoredPort.Id"/>).</summary>
/// <param name="Reason">Added, updated or removed.</param>
/// <param name="Current">The row now (for a removal, its last state).</param>
/// <param name="Previous">The row before an update; null for additions and removals.</param>
public readonly record struct PortChange(PortChangeReason Reason, MonitoredPort Current, MonitoredPort? Previous)
{
    /// <summary>The key of the row: <see cref="MonitoredPort.Id"/>.</summary>
    public long Key => Current.Id;
}

/// <summary>
/// The changes one sample found, in order (DynamicData's <c>IChangeSet&lt;TObject, TKey&gt;</c>): a port
/// appears at most once. The first change set of a subscription is the snapshot: an addition for
/// every port open at that moment (possibly none).
/// </summary>
public sealed class PortChangeSet : IReadOnlyList<PortChange>
{
    private readonly PortChange[] _changes;

    internal PortChangeSet(PortChange[] changes)
    {
        _changes = changes;
        foreach (var change in changes)
        {
            switch (change.Reason)
            {
                case PortChangeReason.Add: Adds++; break;
                case PortChangeReason.Update: Updates++; break;
                default: Removes++; break;
            }
        }
    }

    /// <summary>How many ports came into view.</summary>
    public int Adds { get; }

    /// <summary>How many rows changed.</summary>
    public int Updates { get; }

    /// <summary>How many ports left the view.</summary>
    public int Removes { get; }

    /// <summary>The number of changes.</summary>
    public int Count => _changes.Length;

    /// <summary>The change at <paramref name="index"/>.</summary>
    public PortChange this[int index] => _changes[index];

    /// <inheritdoc/>
    public IEnumerator<PortChange> GetEnumerator() => ((IEnumerable<PortChange>)_changes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _changes.GetEnumerator();

    /// <summary>"+2 ~1 -0".</summary>
    public override string ToString() => $"+{Adds} ~{Updates} -{Removes}";
}

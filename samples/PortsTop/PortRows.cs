using ReactivePorts.Monitoring;
using Spectre.Console;

namespace PortsTop;

/// <summary>The rows of the view, kept up to date from the change stream (any thread), drawn as a table.</summary>
internal sealed class PortRows
{
    private readonly Dictionary<long, MonitoredPort> _rows = new();
    private readonly Lock _gate = new();

    public void Apply(PortChangeSet changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (change.Reason == PortChangeReason.Remove) _rows.Remove(change.Key);
                else _rows[change.Key] = change.Current;
            }
        }
    }

    /// <summary>Whether a row named <paramref name="name"/> is in <paramref name="state"/> now.</summary>
    public bool Shows(string name, MonitoredPortState state)
    {
        lock (_gate) return _rows.Values.Any(r => r.Name == name && r.State == state);
    }

    public Table ToTable()
    {
        MonitoredPort[] rows;
        lock (_gate) rows = [.. _rows.Values.OrderBy(r => r.Id)];
        var table = new Table().Border(TableBorder.Simple)
            .Title($"ports: {rows.Count(r => r.State != MonitoredPortState.Exited)} open, read {Bytes(rows.Sum(r => r.ReadBytesPerSecond))}/s, written {Bytes(rows.Sum(r => r.WrittenBytesPerSecond))}/s");
        table.AddColumns("ID", "NAME", "KIND", "PID", "STATE", "READ", "WRITTEN", "PKTS IN/OUT", "QUEUE", "READ/S", "EXIT");
        foreach (int column in new[] { 0, 3, 5, 6, 7, 8, 9 }) table.Columns[column].RightAligned();
        foreach (var r in rows)
        {
            string state = r.State switch
            {
                MonitoredPortState.Busy => "[yellow]busy[/]",
                MonitoredPortState.Closing => "[orange3]closing[/]",
                MonitoredPortState.Exited => "[grey]exited[/]",
                _ => "[green]open[/]",
            };
            table.AddRow(
                r.Id.ToString(), Markup.Escape(Shorten(r.Name, 28)), Markup.Escape(r.Kind), r.OsPid?.ToString() ?? "-", state,
                Bytes(r.BytesRead), Bytes(r.BytesWritten), $"{r.PacketsRead}/{r.PacketsWritten}", Bytes(r.QueueSize),
                Bytes(r.ReadBytesPerSecond), Markup.Escape(r.ExitStatus?.ToString() ?? ""));
        }
        return table;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Bytes(double n) =>
        n < 1024 ? $"{n:0} B" : n < 1024 * 1024 ? $"{n / 1024:0.0} KiB" : $"{n / 1024 / 1024:0.0} MiB";
}

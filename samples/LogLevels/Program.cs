// LINQ over a live process: a service's log, queried as it is written.
//
// The port turns the child's stdout into a cold observable of lines; the queries below are plain
// Rx LINQ over it: a sliding window of the last second, every half second, counting lines per
// level and raising an alert when errors pass a threshold; and, at the end, totals per level and
// the most frequent error. The child runs once, shared by both queries (Publish).
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.RegularExpressions;
using ReactivePorts;
using ReactivePorts.Framing;

string script = Path.Combine(AppContext.BaseDirectory, "service.sh");
var log = Port.SpawnExecutable("/bin/sh").WithArguments(script)
    .WithFraming(FrameFormat.Line())
    .ToLines()
    .Select(LogLine.Parse)
    .Where(line => line is not null)
    .Select(line => line!)
    .Publish();

// Every 500 ms, the last second of log: lines per level, and an alert while errors run hot.
var window = log
    .Buffer(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500))
    .Select(lines => new
    {
        Counts = lines.GroupBy(l => l.Level).ToDictionary(g => g.Key, g => g.Count()),
        Errors = lines.Count(l => l.Level == "ERROR"),
        Total = lines.Count,
    })
    .Where(w => w.Total > 0)
    .Do(w =>
    {
        string counts = string.Join("  ", LogLine.Levels.Select(level => $"{level} {w.Counts.GetValueOrDefault(level),3}"));
        string alert = w.Errors * 5 >= w.Total ? $"  <-- ALERT: {100 * w.Errors / w.Total}% errors" : "";
        Console.WriteLine($"last 1 s: {counts}{alert}");
    });

// At the end: totals per level, and the error seen most often (digits folded, so retries group).
var summary = log
    .GroupBy(l => l.Level)
    .SelectMany(level => level.Count().Select(count => (Level: level.Key, Count: count)))
    .ToList()
    .Zip(log.Where(l => l.Level == "ERROR")
            .GroupBy(l => Regex.Replace(l.Message, @"\d+", "N"))
            .SelectMany(g => g.Count().Select(count => (Message: g.Key, Count: count)))
            .ToList(),
        (levels, errors) => (levels, top: errors.OrderByDescending(e => e.Count).FirstOrDefault()));

var done = summary.Select(result =>
{
    Console.WriteLine();
    Console.WriteLine("totals: " + string.Join(", ", result.levels.OrderBy(l => Array.IndexOf(LogLine.Levels, l.Level)).Select(l => $"{l.Level} {l.Count}")));
    if (result.top.Message is not null) Console.WriteLine($"most frequent error ({result.top.Count}x): {result.top.Message}");
    return 0;
});

using var windows = window.Subscribe();
var finished = done.FirstAsync().ToTask();
using var connection = log.Connect();   // starts the child: both queries see every line
await finished;

/// <summary>One parsed log line: "12:00:01.250 WARN  http: slow request …".</summary>
internal sealed record LogLine(string Time, string Level, string Component, string Message)
{
    public static readonly string[] Levels = ["DEBUG", "INFO", "WARN", "ERROR"];

    private static readonly Regex s_shape = new(@"^(\S+) (\w+)\s+(\w+): (.*)$", RegexOptions.Compiled);

    public static LogLine? Parse(string text)
    {
        var m = s_shape.Match(text);
        return m.Success ? new LogLine(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value) : null;
    }
}

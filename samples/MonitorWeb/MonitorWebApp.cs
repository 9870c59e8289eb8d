using System.Reactive.Concurrency;
using System.Text.Json;
using System.Threading.Channels;
using ReactivePorts.Monitoring;

namespace MonitorWeb;

/// <summary>The web app: the page (static files from wwwroot), the change stream as Server-Sent Events, and a few demo ports.</summary>
public static class MonitorWebApp
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Builds the app; <c>--urls http://127.0.0.1:0</c> picks a free port (see <c>app.Urls</c> once started).</summary>
    public static WebApplication Create(string[] args, TimeSpan? sampleInterval = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = "wwwroot",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHostedService<DemoPorts>();
        var app = builder.Build();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        var options = new PortMonitorOptions { Interval = sampleInterval ?? TimeSpan.FromMilliseconds(250), Retention = TimeSpan.FromSeconds(4) };
        app.MapGet("/events", (HttpContext context, CancellationToken cancel) => StreamChanges(context, options, cancel));
        return app;
    }

    /// <summary>
    /// One SSE stream per page: the snapshot, then each change set as one "data:" event (a JSON
    /// array of changes). A client too slow for 256 pending change sets is disconnected rather
    /// than fed from an unbounded queue; its EventSource reconnects and starts from a new snapshot.
    /// </summary>
    private static async Task StreamChanges(HttpContext context, PortMonitorOptions options, CancellationToken cancel)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var changes = Channel.CreateBounded<PortChangeSet>(256);
        using var subscription = PortMonitor.Watch(TaskPoolScheduler.Default, options).Subscribe(
            set => { if (!changes.Writer.TryWrite(set)) changes.Writer.TryComplete(); },
            error => changes.Writer.TryComplete(error));
        try
        {
            await foreach (var set in changes.Reader.ReadAllAsync(cancel))
            {
                string json = JsonSerializer.Serialize(set.Select(ChangeDto.From), s_json);
                await context.Response.WriteAsync($"data: {json}\n\n", cancel);
                await context.Response.Body.FlushAsync(cancel);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }
}

/// <summary>One change as the page gets it.</summary>
internal sealed record ChangeDto(string Reason, RowDto Row)
{
    public static ChangeDto From(PortChange change) => new(change.Reason.ToString().ToLowerInvariant(), RowDto.From(change.Current));
}

/// <summary>One row as the page gets it (the exit status as text).</summary>
internal sealed record RowDto(long Id, string Name, string Kind, int? Pid, string State, long BytesRead, long BytesWritten,
    long PacketsRead, long PacketsWritten, long QueueSize, string? Exit, double ReadRate, double WriteRate)
{
    public static RowDto From(MonitoredPort p) => new(p.Id, p.Name, p.Kind, p.OsPid, p.State.ToString().ToLowerInvariant(),
        p.BytesRead, p.BytesWritten, p.PacketsRead, p.PacketsWritten, p.QueueSize, p.ExitStatus?.ToString(),
        p.ReadBytesPerSecond, p.WrittenBytesPerSecond);
}

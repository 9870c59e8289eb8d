// Opens ports until the process runs out of descriptors (EMFILE under a low `ulimit -n`), then checks:
// the failure is a typed exception naming the errno, a failed open leaves no descriptor and no child
// behind, and once ports are closed the library opens, talks to and reaps new ports as before.
// Prints one line per finding; exit code 0 when every check holds, 1 otherwise.
using System.Text;
using ReactivePorts;
using ReactivePorts.Framing;

int failures = 0;
void Check(bool ok, string what)
{
    Console.WriteLine($"{(ok ? "ok" : "FAIL")}: {what}");
    if (!ok) failures++;
}

static int OpenFdCount() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

static async Task<string> EchoThroughCat()
{
    await using var cat = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line()).Open();
    var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
    cat.Output.Subscribe(p => line.TrySetResult(Encoding.UTF8.GetString(p.Payload.Span)), e => line.TrySetException(e));
    await cat.WriteAsync("ping\n"u8.ToArray());
    cat.CompleteInput();
    string answer = await line.Task.WaitAsync(TimeSpan.FromSeconds(15));
    await cat.Exit.WaitAsync(TimeSpan.FromSeconds(15));
    return answer;
}

var timeout = TimeSpan.FromSeconds(30);
// Warm up every default loop (one per processor, started on first use), so their eventfds and epoll
// descriptors are counted in the baseline.
for (int i = 0; i < Environment.ProcessorCount; i++) Check(await EchoThroughCat() == "ping", $"warm-up port {i} echoes");
int baseline = OpenFdCount();
Console.WriteLine($"limit: {File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))}");
Console.WriteLine($"descriptors open at the start: {baseline}");

var ports = new List<Port>();
Exception? failure = null;
for (int i = 0; i < 100_000 && failure is null; i++)
{
    try
    {
        ports.Add(Port.SpawnExecutable("/bin/cat").Open());
    }
    catch (Exception ex)
    {
        failure = ex;
    }
}
Console.WriteLine($"ports opened before the failure: {ports.Count}");
Check(failure is not null, "opening ports eventually fails");
if (failure is not null)
{
    Console.WriteLine($"failure: {failure.GetType().FullName}: {failure.Message}");
    Check(failure is IOException or PortException, $"the failure is typed (IOException or PortException), got {failure.GetType().Name}");
    Check(failure.Message.Contains("EMFILE", StringComparison.Ordinal) || failure.Message.Contains("Too many open files", StringComparison.OrdinalIgnoreCase),
        "the message names EMFILE / too many open files");
}

// The failed opens leave nothing: a second attempt fails the same way, and opening a file does too.
int atLimit = OpenFdCount();
for (int i = 0; i < 3; i++)
{
    try
    {
        ports.Add(Port.SpawnExecutable("/bin/cat").Open());
        Check(false, "a further open at the limit fails");
    }
    catch (Exception ex) when (ex is IOException or PortException)
    {
        // Expected: still no descriptors.
    }
}
Check(OpenFdCount() == atLimit, $"failed opens leak no descriptor ({atLimit} before, {OpenFdCount()} after)");

// Fail at every stage of an open: with exactly k descriptors left (k = 1…10: the first pipe, the
// second, the pidfd, the spawn's own descriptors…), an open either works or fails typed, and in both
// cases leaves no descriptor, no child and no zombie behind.
var fillers = new List<Microsoft.Win32.SafeHandles.SafeFileHandle>();
foreach (var port in ports) await port.CloseAsync();
await Task.WhenAll(ports.Select(p => p.Exit)).WaitAsync(timeout);
await Task.WhenAll(ports.Select(p => p.Completion)).WaitAsync(timeout);
ports.Clear();
static int ChildCount() => Directory.EnumerateDirectories("/proc").Count(d =>
{
    if (!int.TryParse(Path.GetFileName(d), out _)) return false;
    try
    {
        var stat = File.ReadAllText($"{d}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == Environment.ProcessId;
    }
    catch (IOException)
    {
        return false; // gone while we looked
    }
});
for (int free = 1; free <= 10; free++)
{
    while (true)
    {
        try
        {
            fillers.Add(File.OpenHandle("/dev/null"));
        }
        catch (IOException)
        {
            break; // full
        }
    }
    for (int i = 0; i < free; i++)
    {
        fillers[^1].Dispose();
        fillers.RemoveAt(fillers.Count - 1);
    }
    int before = OpenFdCount();
    string outcome;
    try
    {
        await using var port = Port.SpawnExecutable("/bin/true").Open();
        port.Output.Subscribe(_ => { }, _ => { });
        var status = await port.Exit.WaitAsync(timeout);
        await port.Completion.WaitAsync(timeout).ContinueWith(_ => { });
        outcome = $"opened, {status}";
    }
    catch (Exception ex) when (ex is IOException or PortException)
    {
        outcome = $"{ex.GetType().Name}: {ex.Message}";
    }
    int after = OpenFdCount();
    for (var settle = DateTime.UtcNow + timeout; after != before && DateTime.UtcNow < settle; after = OpenFdCount()) await Task.Delay(20);
    Check(after == before && ChildCount() == 0, $"{free} descriptors free: {outcome}; descriptors {before} → {after}, children left {ChildCount()}");
}
foreach (var filler in fillers) filler.Dispose();
fillers.Clear();
Check(await EchoThroughCat() == "ping", "after the stage-by-stage failures a new port opens and echoes");
ports.Clear();
for (int i = 0; i < 5; i++) ports.Add(Port.SpawnExecutable("/bin/cat").Open());

// Free half the descriptors: close ports (closing doesn't kill: cat sees eof on its input and exits).
int half = ports.Count / 2;
foreach (var port in ports.Take(half)) await port.CloseAsync();
await Task.WhenAll(ports.Take(half).Select(p => p.Exit)).WaitAsync(timeout);
Check(await EchoThroughCat() == "ping", "after freeing descriptors a new port opens and echoes");

// Close everything; the process is back where it started.
foreach (var port in ports.Skip(half)) await port.CloseAsync();
var statuses = await Task.WhenAll(ports.Select(p => p.Exit)).WaitAsync(timeout);
Check(statuses.All(s => s.ExitCode == 0), "every cat exited 0 after its port closed");
await Task.WhenAll(ports.Select(p => p.Completion)).WaitAsync(timeout);
var deadline = DateTime.UtcNow + timeout;
while (OpenFdCount() != baseline && DateTime.UtcNow < deadline) await Task.Delay(20); // teardown ends on the loops
Check(OpenFdCount() == baseline, $"descriptors back to the start ({baseline}, now {OpenFdCount()})");
Check(await EchoThroughCat() == "ping", "a port still works at the end");

Console.WriteLine(failures == 0 ? "all checks passed" : $"{failures} checks failed");
return failures == 0 ? 0 : 1;

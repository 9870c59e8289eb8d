// Soak: N ports on /bin/cat, each fed the seeded stream of its own seed as fast as the port accepts
// it (busy-port backpressure), each echo checked byte by byte as it arrives. Every --report seconds:
// throughput, bytes checked, open fds, threads, managed heap and RSS. At the end every port's input
// is completed, every echo must be complete and intact, every cat must exit 0, and the process must
// hold the fds and threads it held before the ports (give or take the runtime's own).
using System.Diagnostics;
using ReactivePorts;
using ReactivePorts.Reliability.Tests.Invariants;

int ports = 1000, seconds = 60, report = 5, chunk = 4096;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int value = int.Parse(args[i + 1]);
    switch (args[i])
    {
        case "--ports": ports = value; break;
        case "--seconds": seconds = value; break;
        case "--report": report = value; break;
        case "--chunk": chunk = value; break;
        default: throw new ArgumentException($"unknown option {args[i]} (--ports N --seconds S --report S --chunk BYTES)");
    }
}

static long Rss() => long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

// The console first: the runtime opens its signal-handling pipe and thread on first use.
Console.WriteLine($"soak: {ports} cat ports, {seconds} s, {chunk}-byte writes, {Environment.ProcessorCount} CPUs");
// Warm up the default loops (one per processor), so the baseline holds them.
for (int i = 0; i < Environment.ProcessorCount; i++)
{
    await using var warm = Port.SpawnExecutable("/bin/true").Open();
    warm.Output.Subscribe(_ => { });
    await warm.Completion;
}
var baselineFdSet = ProcessProbe.OpenFds();
int baselineFds = baselineFdSet.Count, baselineThreads = ProcessProbe.ThreadCount();
long baselineHeap = ProcessProbe.ManagedMemoryAfterFullCollection();
Console.WriteLine($"baseline fds {baselineFds}, threads {baselineThreads}, heap {baselineHeap / 1024.0 / 1024:F1} MiB");

var stopwatch = Stopwatch.StartNew();
var open = new List<Port>(ports);
var verifiers = new StreamVerifier[ports];
var written = new long[ports];
var done = new Task[ports];
for (int i = 0; i < ports; i++)
{
    var port = Port.SpawnExecutable("/bin/cat").Open();
    open.Add(port);
    var verifier = verifiers[i] = new StreamVerifier((ulong)i + 1);
    var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    port.Output.Subscribe(p => verifier.Add(p.Payload.Span), e => completed.TrySetException(e), () => completed.TrySetResult());
    done[i] = completed.Task;
}
Console.WriteLine($"opened {ports} ports in {stopwatch.Elapsed.TotalSeconds:F1} s");

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
async Task Feed(int index)
{
    var stream = new ByteStream((ulong)index + 1);
    var buffer = new byte[chunk];
    var port = open[index];
    while (!stop.IsCancellationRequested)
    {
        stream.Fill(buffer);
        await port.WriteAsync(buffer); // accepted: the copy is the port's now
        written[index] += buffer.Length;
    }
    port.CompleteInput();
}
var feeders = Enumerable.Range(0, ports).Select(i => Task.Run(() => Feed(i))).ToArray();

long lastBytes = 0;
var lastTime = stopwatch.Elapsed;
var start = stopwatch.Elapsed;
Console.WriteLine("   time  MB/s(echoed)  total MB checked    fds  threads  heap MiB   RSS MiB");
while (!Task.WhenAll(feeders).IsCompleted)
{
    await Task.WhenAny(Task.WhenAll(feeders), Task.Delay(TimeSpan.FromSeconds(report)));
    long bytes = verifiers.Sum(v => v.Count);
    var now = stopwatch.Elapsed;
    double rate = (bytes - lastBytes) / (now - lastTime).TotalSeconds / 1e6;
    Console.WriteLine($"{(now - start).TotalSeconds,7:F1}  {rate,12:F1}  {bytes / 1e6,16:F1}  {ProcessProbe.OpenFds().Count,5}  {ProcessProbe.ThreadCount(),7}  {GC.GetTotalMemory(false) / 1048576.0,8:F1}  {Rss() / 1048576.0,8:F1}");
    (lastBytes, lastTime) = (bytes, now);
}

await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(2));
var statuses = await Task.WhenAll(open.Select(p => p.Exit)).WaitAsync(TimeSpan.FromMinutes(2));
int failures = 0;
long total = 0;
for (int i = 0; i < ports; i++)
{
    total += written[i];
    if (verifiers[i].Mismatch(written[i]) is { } problem) { failures++; Console.WriteLine($"port {i}: {problem}"); }
    if (statuses[i].ExitCode != 0) { failures++; Console.WriteLine($"port {i}: {statuses[i]}"); }
}
foreach (var port in open) port.Dispose();
open.Clear();
// The soak's own bookkeeping goes too (each verifier holds a scratch buffer as large as its largest packet),
// so the heap figure below is what the library keeps.
Array.Clear(verifiers);
Array.Clear(done);
Array.Clear(feeders);
var settle = Stopwatch.StartNew();
while (ProcessProbe.OpenFds().Count != baselineFds && settle.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
int fdsAfter = ProcessProbe.OpenFds().Count, zombies = ProcessProbe.ZombieChildren().Count;
long heapAfter = ProcessProbe.ManagedMemoryAfterFullCollection();
if (fdsAfter != baselineFds)
{
    failures++;
    Console.WriteLine($"fds: {baselineFds} before, {fdsAfter} after; new: {string.Join(", ", ProcessProbe.OpenFds().Where(f => !baselineFdSet.ContainsKey(f.Key)).Select(f => $"{f.Key}→{f.Value}"))}");
}
if (zombies != 0) { failures++; Console.WriteLine($"{zombies} zombie children"); }
double elapsed = (stopwatch.Elapsed - start).TotalSeconds;
Console.WriteLine($"done: {total / 1e6:F1} MB written and checked through {ports} ports in {elapsed:F1} s ({total / elapsed / 1e6:F1} MB/s); " +
    $"lost or corrupted: {failures}; after: fds {fdsAfter} (baseline {baselineFds}), threads {ProcessProbe.ThreadCount()} (baseline {baselineThreads}), " +
    $"heap {heapAfter / 1048576.0:F1} MiB (baseline {baselineHeap / 1048576.0:F1}), zombies {zombies}");
return failures == 0 ? 0 : 1;

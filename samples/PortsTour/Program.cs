// A tour of ReactivePorts: processes as observables, composed with LINQ, with Erlang's framing,
// busy-port backpressure and exit status.
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ReactivePorts;
using ReactivePorts.Framing;

// 1. A process as a cold observable of lines, queried with LINQ. Each subscription runs it anew.
Console.WriteLine("== the five largest files in /usr/bin (ls -l, line framing, LINQ)");
var listing = Port.Spawn("ls -l /usr/bin").WithFraming(FrameFormat.Line());
var largest = await (from line in listing.ToLines()
                     where line.StartsWith('-')
                     let fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                     select (Size: long.Parse(fields[4]), Name: fields[^1]))
                    .ToList();
foreach (var (size, name) in largest.OrderByDescending(f => f.Size).Take(5))
    Console.WriteLine($"  {size,12:N0}  {name}");

// 2. A duplex port with {packet,4} framing: what goes in comes back as the same packets.
Console.WriteLine("== {packet,4} frames through cat");
await using (var cat = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).Open())
{
    // ToTask subscribes now, so the port reads while we write (an Rx query alone waits for a subscriber).
    var echoes = cat.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();
    foreach (var word in new[] { "ping", "", "a longer message" })
        await cat.WriteAsync(Encoding.UTF8.GetBytes(word));
    cat.CompleteInput(); // cat sees end of file; its output keeps flowing until it exits
    Console.WriteLine($"  echoes: [{string.Join(", ", (await echoes).Select(e => $"\"{e}\""))}]  ({await cat.Exit})");
}

// Many small packets: WriteBatchAsync frames each and sends them as one command (one lock, one
// system call for as many frames as fit), far cheaper than a write each.
await using (var cat = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).Open())
{
    var count = cat.Output.Count().ToTask();
    var batch = Enumerable.Range(0, 1000).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i)).ToArray();
    for (int round = 0; round < 100; round++) await cat.WriteBatchAsync(batch);
    cat.CompleteInput();
    Console.WriteLine($"  100 batches of 1,000 packets: {await count:N0} packets back");
}

// 3. The event view, in Erlang's order: every byte of data (the unterminated last line too), then
// the exit status (a signal is 128+n in Erlang's view), then closed.
Console.WriteLine("== events of a child that writes, then dies of SIGTERM");
var events = await Port.Spawn("""sh -c 'printf "a line\nthe last line, unterminated"; kill -TERM $$'""")
    .WithFraming(FrameFormat.Line()).Open().Output.ToEvents().ToList();
foreach (var e in events) Console.WriteLine($"  {Describe(e)}");

// 4. Busy port: a child that never reads. TryWrite refuses once 8 KiB are queued and not yet
// written (Erlang's limit, exactly), and the port is ready again only below 4 KiB.
Console.WriteLine("== busy port: a child that never reads its input");
await using (var sleeper = Port.SpawnExecutable("/bin/sleep").WithArguments("30").WithKillOnClose().Open())
{
    var chunk = new byte[1024];
    int accepted = 0;
    while (true)
    {
        if (sleeper.TryWrite(chunk)) { accepted++; continue; }
        // Busy: wait for the port to become ready again; it stays busy once the pipe is full.
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try { await sleeper.Writer.WaitToWriteAsync(patience.Token); }
        catch (OperationCanceledException) { break; }
    }
    Console.WriteLine($"  accepted {accepted} KiB: the pipe is full and {sleeper.GetInfo().QueueSize:N0} bytes wait in the port's queue");
    long dropped = await sleeper.CloseAsync(TimeSpan.FromMilliseconds(100));
    Console.WriteLine($"  closed after a 100 ms flush timeout, {dropped:N0} queued bytes dropped; {await sleeper.Exit}");
}

// 5. A start failure is an exception with errno and path, never a fake exit status.
Console.WriteLine("== a missing executable");
try
{
    Port.SpawnExecutable("/no/such/program").Open();
}
catch (PortSpawnException ex)
{
    Console.WriteLine($"  {ex.ErrnoName}: {ex.Message}");
}

static string Describe(PortEvent e) => e switch
{
    PortData d => $"data  \"{Encoding.UTF8.GetString(d.Packet.Payload.Span)}\" ({d.Packet.Line})",
    PortExited x => $"exit  {x.Status} (Erlang: {{exit_status,{x.Status.ErlangStatus}}})",
    _ => e.ToString(),
};

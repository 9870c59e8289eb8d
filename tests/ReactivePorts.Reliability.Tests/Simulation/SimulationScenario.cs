using System.Text;
using ReactivePorts.Framing;
using ReactivePorts.Reliability.Tests.Invariants;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Reliability.Tests.Simulation;

/// <summary>How the scripted child ends.</summary>
public enum ChildEnding
{
    /// <summary>Exits with a code once everything is written.</summary>
    Exit,

    /// <summary>Dies of a signal once everything is written.</summary>
    Die,

    /// <summary>Killed from outside at a random tick, wherever its writes are (pending output is lost, as the kernel's would be).</summary>
    KilledMidStream,

    /// <summary>Closes its output, then exits later (the exit comes after end of file).</summary>
    CloseOutputThenExit,

    /// <summary>Never ends on its own: the port is closed by the subscriber or at the end of the run.</summary>
    Runs,
}

/// <summary>How the output's subscriber reads.</summary>
public enum SubscriberKind
{
    /// <summary>Subscribe: every packet as it comes.</summary>
    Plain,

    /// <summary>SubscribeOnDemand: a few packets at a time, with pauses (the port stops reading, the child blocks).</summary>
    OnDemand,

    /// <summary>Closes the port at a random tick (CloseAsync), mid-stream or not.</summary>
    ClosesMidStream,

    /// <summary>Disposes its subscription at a random tick (which closes the port).</summary>
    DisposesMidStream,
}

/// <summary>One write the port makes to the child, at a tick.</summary>
public sealed record InputWrite(long At, byte[] Payload, bool Forced);

/// <summary>
/// Everything one simulation run does, drawn from its seed alone: the framing, what the child
/// writes (sizes, chunking, timing), how it reads, how it ends and is reaped, the port's busy
/// limits, the subscriber, the writer and the fault rates. The same seed gives the same scenario,
/// in any process, on any machine (<see cref="Random(int)"/>'s seeded sequence is stable).
/// </summary>
public sealed record SimulationScenario
{
    public required int Seed { get; init; }

    public required string FramingName { get; init; }

    public required FrameFormat Framing { get; init; }

    /// <summary>The child's writes: payloads (already framed when written), each at a gap after the one before.</summary>
    public required IReadOnlyList<byte[]> Packets { get; init; }

    public required IReadOnlyList<long> Gaps { get; init; }

    public required int[]? SplitSizes { get; init; }

    public required long SplitGap { get; init; }

    public required int PipeCapacity { get; init; }

    public required (int Bytes, long Interval)? SlowRead { get; init; }

    public required bool NeverReads { get; init; }

    public required ChildEnding Ending { get; init; }

    /// <summary>Exit code or signal, as the ending says.</summary>
    public required int EndCode { get; init; }

    /// <summary>Ticks after the last write for Exit/Die/CloseOutputThenExit; the absolute kill tick for KilledMidStream.</summary>
    public required long EndAt { get; init; }

    /// <summary>Reap delay in ticks; null: never reaped.</summary>
    public required long? ReapDelay { get; init; }

    public required (long Low, long High)? BusyLimits { get; init; }

    public required long FlushTimeoutTicks { get; init; }

    public required SubscriberKind Subscriber { get; init; }

    /// <summary>OnDemand: packets per request, and the ticks between requests.</summary>
    public required (int Count, long Interval, long PauseEvery, long PauseLength) Demand { get; init; }

    /// <summary>ClosesMidStream / DisposesMidStream: the tick.</summary>
    public required long StopAt { get; init; }

    public required IReadOnlyList<InputWrite> Inputs { get; init; }

    /// <summary>The tick the writer half-closes the child's input (CompleteInput), or null.</summary>
    public required long? CompleteInputAt { get; init; }

    public required FaultRates Rates { get; init; }

    /// <summary>The tick everything scripted is over by (the run then waits for the port to end).</summary>
    public long ScriptEnd => Math.Max(Math.Max(StopAt, CompleteInputAt ?? 0), Math.Max(Inputs.Count > 0 ? Inputs[^1].At : 0, Gaps.Sum() + EndAt)) + 1;

    public static SimulationScenario FromSeed(int seed)
    {
        var random = new Random(seed);
        int framingKind = random.Next(5);
        (string name, FrameFormat framing, int maxPayload) = framingKind switch
        {
            0 or 1 => ("stream", FrameFormat.Stream, Pick(random, 16, 1000, 20_000, 100_000)),
            2 => ("packet 1", FrameFormat.LengthPrefixed(1), 255),
            3 => (random.Next(2) == 0 ? "packet 2" : "packet 4", null!, Pick(random, 16, 1000, 20_000)),
            _ => ("line", FrameFormat.Line(), Pick(random, 16, 200, 500)),
        };
        framing ??= FrameFormat.LengthPrefixed(name == "packet 2" ? 2 : 4);
        if (name == "packet 2") maxPayload = Math.Min(maxPayload, 65535);

        int count = random.Next(10) == 0 ? random.Next(100, 400) : random.Next(0, 40);
        var stream = new ByteStream((ulong)seed * 0x9E3779B97F4A7C15UL + 1);
        var packets = new List<byte[]>(count);
        var gaps = new List<long>(count);
        for (int i = 0; i < count; i++)
        {
            int size = random.Next(name == "stream" ? 1 : 0, maxPayload + 1);
            var payload = new byte[size];
            if (name == "line") FillLetters(random, payload);
            else stream.Fill(payload);
            packets.Add(payload);
            gaps.Add(random.Next(4) == 0 ? 0 : random.Next(1, 60));
        }

        int[]? split = random.Next(2) == 0 ? null : [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, 1, 3, 7, 100, 1000, 5000))];
        // Tiny pieces of a big output cost a virtual event each: keep such runs to 64 KiB.
        if (split is { } pieces && pieces.Max() < 100)
        {
            long kept = 0;
            int keep = packets.TakeWhile(p => (kept += p.Length) <= 65536).Count();
            packets.RemoveRange(keep, packets.Count - keep);
            gaps.RemoveRange(keep, gaps.Count - keep);
        }
        long splitGap = random.Next(1, 20);
        int capacity = Pick(random, 16, 100, 4096, 65536);
        var slowRead = random.Next(3) == 0 ? ((int, long)?)(Pick(random, 10, 100, 1000), random.Next(1, 200)) : null;
        bool neverReads = random.Next(8) == 0;

        var ending = (ChildEnding)random.Next(5);
        int code = ending switch
        {
            ChildEnding.Die or ChildEnding.KilledMidStream => Pick(random, 9, 11, 15, 6),
            _ => Pick(random, 0, 0, 1, 3, 255),
        };
        long totalGaps = gaps.Sum();
        long endAt = ending == ChildEnding.KilledMidStream ? random.NextInt64(1, totalGaps + 500) : random.Next(0, 300);
        long? reap = random.Next(10) switch { 0 => null, < 4 => random.Next(1, 20_000), _ => 0 };

        var busy = random.Next(3) == 0 ? ((long, long)?)null : PickBusy(random);
        long flushTimeout = Pick(random, 10, 1000, 100_000, 5_000_000);

        var subscriber = (SubscriberKind)random.Next(4);
        var demand = (random.Next(1, 6), (long)random.Next(1, 100), (long)random.Next(200, 3000), (long)random.Next(1, 5000));
        long stopAt = random.NextInt64(1, totalGaps + 1000);

        int inputCount = random.Next(3) == 0 ? 0 : random.Next(1, 40);
        var inputs = new List<InputWrite>(inputCount);
        long at = 1;
        int maxInput = Pick(random, 8, 500, 5000, 30_000);
        for (int i = 0; i < inputCount; i++)
        {
            at += random.Next(0, 80);
            var payload = new byte[random.Next(0, name == "packet 1" ? Math.Min(maxInput, 255) : name == "packet 2" ? Math.Min(maxInput, 65535) : maxInput)];
            FillLetters(random, payload);
            inputs.Add(new InputWrite(at, payload, random.Next(10) == 0));
        }
        long? completeAt = random.Next(2) == 0 ? at + random.Next(1, 100) : null;

        var rates = random.Next(5) == 0 ? new FaultRates { ShortRead = 0, ShortWrite = 0, WouldBlock = 0, Interrupted = 0 } : new FaultRates
        {
            ShortRead = random.NextDouble() * 0.5,
            ShortWrite = random.NextDouble() * 0.5,
            WouldBlock = random.NextDouble() * 0.3,
            MaxWouldBlockBurst = random.Next(1, 6),
            Interrupted = random.NextDouble() * 0.2,
            BrokenPipe = random.Next(6) == 0 ? random.NextDouble() * 0.05 : 0,
        };

        return new SimulationScenario
        {
            Seed = seed, FramingName = name, Framing = framing, Packets = packets, Gaps = gaps,
            SplitSizes = split, SplitGap = splitGap, PipeCapacity = capacity, SlowRead = slowRead, NeverReads = neverReads,
            Ending = ending, EndCode = code, EndAt = endAt, ReapDelay = reap, BusyLimits = busy, FlushTimeoutTicks = flushTimeout,
            Subscriber = subscriber, Demand = demand, StopAt = stopAt, Inputs = inputs, CompleteInputAt = completeAt, Rates = rates,
        };
    }

    /// <summary>The child's script.</summary>
    public ChildScript Script()
    {
        var script = ChildScript.Idle.WithPipeCapacity(PipeCapacity);
        long at = 0;
        for (int i = 0; i < Packets.Count; i++)
        {
            at += Gaps[i];
            script = script.Write(at, Frame(Packets[i]));
        }
        if (SplitSizes is { } sizes) script = script.SplitWrites(sizes, SplitGap);
        if (NeverReads) script = script.NeverRead();
        else if (SlowRead is { } slow) script = script.ReadSlowly(slow.Bytes, slow.Interval);
        script = ReapDelay is { } delay ? script.ReapAfter(delay) : script.NeverReaped();
        return Ending switch
        {
            ChildEnding.Exit => script.Exit(at + EndAt, EndCode),
            ChildEnding.Die => script.Die(at + EndAt, EndCode),
            ChildEnding.CloseOutputThenExit => script.CloseOutput(at).Exit(at + EndAt, EndCode),
            _ => script,
        };
    }

    /// <summary>A payload as the child writes it under the scenario's framing.</summary>
    public byte[] Frame(byte[] payload) => FramingName switch
    {
        "stream" => payload,
        "line" => [.. payload, (byte)'\n'],
        _ => [.. Header(payload.Length), .. payload],
    };

    /// <summary>A payload as the port writes it: with its length header, or as it is (in line mode the port adds no newline, as Erlang's).</summary>
    public byte[] FrameInput(byte[] payload) => Framing.HeaderSize == 0 ? payload : [.. Header(payload.Length), .. payload];

    private byte[] Header(int length)
    {
        int size = Framing.HeaderSize;
        var header = new byte[size];
        for (int i = 0; i < size; i++) header[i] = (byte)(length >> (8 * (size - 1 - i)));
        return header;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append($"framing {FramingName}; child writes {Packets.Count} packets ({Packets.Sum(p => (long)p.Length):N0} bytes)");
        text.Append(SplitSizes is { } s ? $" split [{string.Join(",", s)}] every {SplitGap} ticks" : "");
        text.Append($"; pipe {PipeCapacity}; reads {(NeverReads ? "never" : SlowRead is { } r ? $"{r.Bytes} per {r.Interval} ticks" : "at once")}");
        text.Append($"; ends {Ending} {EndCode} at {EndAt}; reaped {(ReapDelay is { } d ? $"after {d}" : "never")}");
        text.Append($"; busy {(BusyLimits is { } b ? $"{b.Low}/{b.High}" : "default")}; flush timeout {FlushTimeoutTicks}");
        text.Append($"; subscriber {Subscriber}{(Subscriber == SubscriberKind.OnDemand ? $" {Demand}" : Subscriber is SubscriberKind.ClosesMidStream or SubscriberKind.DisposesMidStream ? $" at {StopAt}" : "")}");
        text.Append($"; {Inputs.Count} input writes ({Inputs.Count(i => i.Forced)} forced){(CompleteInputAt is { } c ? $", input completed at {c}" : "")}");
        text.Append($"; faults {Rates}");
        return text.ToString();
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static (long, long) PickBusy(Random random)
    {
        long high = random.Next(2, 20_000);
        return (random.NextInt64(1, high + 1), high); // the low mark is at least 1 (WithBusyLimits refuses 0)
    }

    private static void FillLetters(Random random, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (byte)('a' + random.Next(26));
    }
}

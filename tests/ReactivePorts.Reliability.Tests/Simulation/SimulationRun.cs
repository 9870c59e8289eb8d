using System.Reactive.Concurrency;
using ReactivePorts.Framing;
using ReactivePorts.Testing;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Reliability.Tests.Simulation;

/// <summary>What one run did (every event with its virtual tick, then the fault log) and what it broke.</summary>
public sealed record SimulationResult(SimulationScenario Scenario, IReadOnlyList<string> Transcript, IReadOnlyList<string> Faults, IReadOnlyList<string> Violations)
{
    public bool Passed => Violations.Count == 0;
}

/// <summary>
/// Runs one <see cref="SimulationScenario"/> on a virtual world: the production port stack over a
/// scripted child, with the scenario's faults on every read and write the port makes, its
/// subscriber and its writer; then checks the invariants (<see cref="SimulationChecks"/>).
/// Everything runs on the test's thread in virtual time, so a seed replays exactly.
/// </summary>
public sealed partial class SimulationRun
{
    private const string ChildName = "sim";
    private readonly SimulationScenario _s;
    private readonly TestScheduler _clock = new();
    private readonly SeededFaults _faults;
    private readonly VirtualWorld _world;
    private readonly List<string> _transcript = new();
    private readonly List<string> _violations = new();
    private readonly List<byte[]> _delivered = new();
    private readonly List<byte> _accepted = new();
    private Port _port = null!;
    private ScriptedChild _child = null!;
    private Exception? _outputError;
    private bool _outputCompleted;
    private bool _stoppedEarly;
    private bool _writeFailed;
    private long _eventBytes;
    private long _bytesAtExit = -1;
    private PortTruncatedFrame? _truncated;
    private bool _truncatedAfterExit;
    private long _forcedBytes;
    private long _largestAccepted;
    private long _maxQueueOver;
    private Task<long>? _close;
    private long _closeAt;
    private PortOutputDemand? _demand;
    private Func<ChildScript, ChildScript>? _tamper;

    private SimulationRun(SimulationScenario scenario)
    {
        _s = scenario;
        _faults = new SeededFaults(unchecked(scenario.Seed * 31 + 17), scenario.Rates);
        _world = new VirtualWorld(_clock, _faults);
    }

    public static SimulationResult Run(int seed) => Run(SimulationScenario.FromSeed(seed));

    /// <param name="scenario">What to run.</param>
    /// <param name="tamper">Changes the child's script behind the checks' back (to prove they catch what they claim to).</param>
    public static SimulationResult Run(SimulationScenario scenario, Func<ChildScript, ChildScript>? tamper = null)
    {
        var run = new SimulationRun(scenario) { _tamper = tamper };
        try
        {
            run.Execute();
        }
        catch (Exception ex)
        {
            run._violations.Add($"the run threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }
        finally
        {
            run._world.Dispose();
        }
        return new SimulationResult(scenario, run._transcript, [.. run._faults.Log], run._violations);
    }

    private void Log(string line) => _transcript.Add($"{_clock.Clock} {line}");

    private void Execute()
    {
        _world.AddChild(ChildName, _tamper is null ? _s.Script() : _tamper(_s.Script()));
        var spec = Port.Spawn(ChildName).WithFraming(_s.Framing).WithScheduler(_world.Scheduler)
            .WithFlushTimeout(TimeSpan.FromTicks(_s.FlushTimeoutTicks));
        if (_s.BusyLimits is { } busy) spec = spec.WithBusyLimits(busy.Low, busy.High);
        _port = spec.Open();
        _child = _world.Children[0];
        _port.Events.Subscribe(OnEvent);
        Subscribe();
        ScheduleWriter();
        if (_s.Ending == ChildEnding.KilledMidStream) At(_s.EndAt, () => { Log($"child killed by {_s.EndCode}"); _child.Die(_s.EndCode); });

        // Phase 1: the script plays out, and the port gets time to end by itself.
        long horizon = _s.ScriptEnd + DrainAllowance();
        _clock.AdvanceTo(horizon);
        CheckNaturalEnd();

        // Phase 2: whatever is still open is closed, as an application ends; that close must end too.
        if (_port.State != PortState.Closed || _close is null)
        {
            if (_port.State != PortState.Closed) Close("end of run");
            _clock.AdvanceTo(_clock.Clock + _s.FlushTimeoutTicks + 1000);
        }
        // A child still reading gets the time to read what reached its pipe.
        _clock.AdvanceTo(_clock.Clock + InputReadAllowance());
        Check();
        _transcript.Add($"faults: {_faults.Log.Count}");
    }

    /// <summary>Virtual ticks a well-behaved port needs, at most, to pass the whole output through this subscriber and the faults.</summary>
    private long DrainAllowance()
    {
        long bytes = _s.Packets.Sum(p => (long)p.Length + 4);
        long perPacket = _s.Subscriber == SubscriberKind.OnDemand ? _s.Demand.Interval + _s.Demand.PauseLength + 10 : 10;
        long reads = bytes + _s.Packets.Count;
        long reap = _s.ReapDelay ?? 0;
        // Generous: virtual time costs nothing when nothing happens (every wait here is event-driven).
        return reads * perPacket * 4 + reap + _s.FlushTimeoutTicks + 100_000;
    }

    private long InputReadAllowance()
    {
        if (!_child.IsRunning || _s.NeverReads) return 1000;
        long bytes = _accepted.Count + _s.PipeCapacity;
        return _s.SlowRead is { } slow ? (bytes / slow.Bytes + 2) * slow.Interval + 1000 : 10_000;
    }

    private void At(long tick, Action action) =>
        _clock.ScheduleAbsolute(action, tick, static (_, a) => { a(); return System.Reactive.Disposables.Disposable.Empty; });

    private void OnEvent(PortEvent e)
    {
        switch (e)
        {
            case PortData data:
                if (_bytesAtExit >= 0) _violations.Add($"data after the exit status at tick {_clock.Clock}");
                _eventBytes += data.Packet.Length;
                Log($"event Data({data.Packet.Length})");
                break;
            case PortExited exited:
                _bytesAtExit = _eventBytes;
                Log($"event Exited({exited.Status})");
                break;
            case PortTruncatedFrame truncated:
                _truncated = truncated;
                _truncatedAfterExit = _bytesAtExit >= 0;
                Log($"event {truncated}");
                break;
            case PortClosed closed:
                Log($"event Closed({closed.Error?.GetType().Name})");
                break;
            default:
                if (e.ToString().Contains("WriteFailed", StringComparison.Ordinal)) _writeFailed = true;
                Log($"event {e}");
                break;
        }
    }

    private void Subscribe()
    {
        var observer = System.Reactive.Observer.Create<Packet>(
            p =>
            {
                _delivered.Add(p.Payload.ToArray());
                Log($"out {p.Length} #{Hash(p.Payload.Span):x8}");
                Delivered();
            },
            ex => { _outputError = ex; Log($"out error {ex.GetType().Name}: {ex.Message}"); },
            () => { _outputCompleted = true; Log("out completed"); });
        switch (_s.Subscriber)
        {
            case SubscriberKind.OnDemand:
                _demand = _port.Output.SubscribeOnDemand(observer);
                RequestAt(1);
                break;
            case SubscriberKind.DisposesMidStream:
                var subscription = _port.Output.Subscribe(observer);
                At(_s.StopAt, () =>
                {
                    Log("subscriber disposes");
                    _stoppedEarly = true;
                    subscription.Dispose();
                });
                break;
            case SubscriberKind.ClosesMidStream:
                _port.Output.Subscribe(observer);
                At(_s.StopAt, () => { _stoppedEarly = true; Close("subscriber closes"); });
                break;
            default:
                _port.Output.Subscribe(observer);
                break;
        }
    }

    /// <summary>
    /// The on-demand subscriber asks for its next few packets once the last are delivered, an
    /// interval later (or when its pause ends): event-driven, so an idle port costs no events.
    /// </summary>
    private void RequestAt(long tick)
    {
        var (count, interval, pauseEvery, pauseLength) = _s.Demand;
        long period = pauseEvery + pauseLength;
        if (tick % period >= pauseEvery) tick += period - tick % period; // paused: the next request when the pause ends
        At(tick, () =>
        {
            if (_outputCompleted || _outputError is not null || _port.State == PortState.Closed) return;
            _demand!.Request(count);
            Log($"request {count}");
        });
    }

    private void Delivered()
    {
        if (_demand is { Outstanding: 0 }) RequestAt(_clock.Clock + _s.Demand.Interval);
    }

    private void Close(string why)
    {
        if (_close is not null) return;
        Log(why);
        _closeAt = _clock.Clock;
        _close = _port.CloseAsync();
    }

    private void ScheduleWriter()
    {
        long high = _s.BusyLimits?.High ?? 8192;
        foreach (var input in _s.Inputs)
        {
            At(input.At, () =>
            {
                try
                {
                    if (input.Forced)
                    {
                        _port.WriteForced(input.Payload);
                        _forcedBytes += input.Payload.Length + 4;
                        Accept(input.Payload);
                        Log($"write forced {input.Payload.Length}");
                    }
                    else if (_port.TryWrite(input.Payload))
                    {
                        Accept(input.Payload);
                        Log($"write {input.Payload.Length} accepted");
                    }
                    else
                    {
                        Log($"write {input.Payload.Length} refused (busy)");
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    Log($"write {input.Payload.Length} threw {ex.GetType().Name}");
                }
                // Bounded: the queue holds at most the high mark, plus the one write that crossed it (the largest accepted, at most), plus forced writes.
                long queue = _port.GetInfo().QueueSize;
                long over = queue - (high + _largestAccepted + _forcedBytes);
                if (over > _maxQueueOver) _maxQueueOver = over;
            });
        }
        if (_s.CompleteInputAt is { } complete)
        {
            At(complete, () =>
            {
                try
                {
                    _port.CompleteInput();
                    Log("input completed");
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    Log($"input completion threw {ex.GetType().Name}");
                }
            });
        }
    }

    private void Accept(byte[] payload)
    {
        _accepted.AddRange(_s.FrameInput(payload));
        _largestAccepted = Math.Max(_largestAccepted, payload.Length + 4);
    }

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes) hash = (hash ^ b) * 16777619;
        return hash;
    }
}

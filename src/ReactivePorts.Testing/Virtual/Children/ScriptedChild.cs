using System.Reactive.Disposables;
using ReactivePorts.Drivers;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// One running scripted child of a <see cref="VirtualWorld"/>: what its <see cref="ChildScript"/>
/// does, on the world's test scheduler, behind a port opened with the ordinary spawn call. It
/// records what it received and wrote, with their ticks, and the signals it got. Its actions
/// (<see cref="Write(ReadOnlySpan{byte})"/>, <see cref="Exit"/>...) are for the script's steps and
/// reactions, or for a test that steers it directly.
/// </summary>
/// <remarks>
/// It is the port's process (<see cref="IPortProcess"/>): <c>Signal</c>, <c>Kill</c> and
/// <c>StopAsync</c> reach it. Virtual time has one thread: call its members on the test's thread
/// (or from the port's loop, which runs there).
/// </remarks>
public sealed partial class ScriptedChild : IPortProcess
{
    internal const int SigKill = 9;
    private const int SigPipe = 13;

    private readonly TestScheduler _clock;
    private readonly ChildScript _script;
    private readonly VirtualPipe? _stdin;   // the port writes, the child reads
    private readonly VirtualPipe? _stdout;  // the child writes, the port reads
    private readonly List<Recorded<int>> _signals = new();
    private readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<ExitStatus>? _onReaped;
    private int _step;
    private long _stepsWakeAt = -1;
    private bool _reaped;

    internal ScriptedChild(VirtualWorld world, SpawnRequest request, ChildScript script, int pid)
    {
        _clock = world.Clock;
        _script = script;
        Request = request;
        Pid = pid;
        StartedAt = _clock.Clock;
        if (request.Direction != PortDirection.Out)
        {
            _stdin = new VirtualPipe(world.Scheduler, script.PipeCapacity) { Name = $"{request.Name}/stdin", Faults = world.Faults };
            _stdin.Changed = InputChanged;
        }
        if (request.Direction != PortDirection.In)
        {
            _stdout = new VirtualPipe(world.Scheduler, script.PipeCapacity) { Name = $"{request.Name}/stdout", Faults = world.Faults };
            _stdout.Changed = OutputChanged;
        }
        if (script.InputFraming is { } framing) _decoder = framing.CreateDecoder();
    }

    /// <summary>What the port asked to start (command, arguments, environment...).</summary>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public SpawnRequest Request { get; }

    /// <summary>The name it was started under (the command or executable).</summary>
    public string Name => Request.Name;

    /// <summary>Its made-up process id, unique in its world.</summary>
    public int Pid { get; }

    /// <summary>The tick it started (its port was opened).</summary>
    public long StartedAt { get; }

    /// <summary>Signals it received, with their ticks (handled, ignored or fatal).</summary>
    public IReadOnlyList<Recorded<int>> Signals => _signals;

    /// <summary>How it ended, once it has (reaped or not).</summary>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public ExitStatus? ExitStatus { get; private set; }

    /// <summary>The tick it ended.</summary>
    public long? ExitedAt { get; private set; }

    /// <summary>Whether it still runs.</summary>
    public bool IsRunning => ExitStatus is null;

    /// <summary>Completes when it ends (before it is reaped).</summary>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public Task<ExitStatus> Exited => _exited.Task;

    /// <summary>Whether it has been reaped: its status went to the port and it can no longer be signalled.</summary>
    public bool HasExited => _reaped;

    /// <summary>Whether it leads a process group of its own (as asked by the spawn spec).</summary>
    public bool HasOwnProcessGroup => Request.NewProcessGroup;

    /// <summary>The port's ends of the pipes, for the driver: read the child's output, write its input.</summary>
    internal System.Runtime.InteropServices.SafeHandle? PortReads => _stdout?.Reader;

    internal System.Runtime.InteropServices.SafeHandle? PortWrites => _stdin?.Writer;

    /// <summary>Runs <paramref name="action"/> <paramref name="ticks"/> from now, if the child still runs then.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    public void After(long ticks, Action<ScriptedChild> action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        ArgumentNullException.ThrowIfNull(action);
        At(_clock.Clock + ticks, () => { if (IsRunning) action(this); });
    }

    /// <summary>Exits with <paramref name="code"/>: its pipes close (the port reads what is left, then end of file) and it is reaped as its script says.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not 0..255.</exception>
    public void Exit(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 255);
        End(ReactivePorts.ExitStatus.Exited(code));
    }

    /// <summary>Dies by <paramref name="signal"/> (reported as 128 + signal), whatever handlers its script has.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signal"/> is not 1..64.</exception>
    public void Die(int signal)
    {
        CheckSignal(signal);
        End(ReactivePorts.ExitStatus.Signaled(signal));
    }

    /// <summary>Sends <paramref name="signal"/>: its handler runs, or it is ignored, or (by default) the child dies of it. False once reaped.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signal"/> is not 1..64 (as EINVAL from the kernel).</exception>
    public bool Signal(int signal)
    {
        CheckSignal(signal);
        if (_reaped) return false;
        _signals.Add(new Recorded<int>(_clock.Clock, signal));
        if (!IsRunning) return true; // a zombie takes signals and does nothing
        if (_script.SignalHandlers.TryGetValue(signal, out var handler) && signal != SigKill) handler(this);
        else if (signal is not (17 or 18 or 23 or 28)) Die(signal); // SIGCHLD, SIGCONT, SIGURG, SIGWINCH are ignored by default
        return true;
    }

    /// <summary>Sends <paramref name="signal"/> to its group: the child alone (a scripted child has no descendants).</summary>
    /// <exception cref="InvalidOperationException">It does not lead a group of its own.</exception>
    public bool SignalGroup(int signal)
    {
        if (!HasOwnProcessGroup) throw new InvalidOperationException($"Scripted child '{Name}' was not started in a process group of its own.");
        return Signal(signal);
    }

    internal static void CheckSignal(int signal)
    {
        if (signal is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(signal), signal, "A signal number is 1..64.");
    }

    /// <summary>Starts running the script's steps (the port is being opened).</summary>
    internal void Start() => RunSteps();

    /// <summary>Calls <paramref name="onReaped"/> once the child is reaped (at once if it already was).</summary>
    internal void WhenReaped(Action<ExitStatus> onReaped)
    {
        if (_reaped) onReaped(ExitStatus!.Value);
        else _onReaped = onReaped;
    }

    /// <summary>Runs the steps that are due, in order, until one is not yet due or a write blocks.</summary>
    private void RunSteps()
    {
        var steps = _script.Steps;
        while (IsRunning && _step < steps.Count && !IsBlocked)
        {
            long due = StartedAt + steps[_step].At;
            if (due > _clock.Clock || (due == StartedAt && _clock.Clock == StartedAt))
            {
                if (_stepsWakeAt != due)
                {
                    _stepsWakeAt = due;
                    At(due, RunSteps);
                }
                return;
            }
            steps[_step++].Action(this);
        }
    }

    private void End(ExitStatus status)
    {
        if (!IsRunning) return;
        ExitStatus = status;
        ExitedAt = _clock.Clock;
        // The kernel closes a dead process's descriptors: the port reads what is left, then eof.
        DropOutput();
        CloseOutput();
        CloseInput();
        _exited.TrySetResult(status);
        if (_script.ReapDelay is not { } delay) return;
        if (delay == 0) Reap();
        else At(_clock.Clock + delay, Reap);
    }

    private void Reap()
    {
        _reaped = true;
        var onReaped = _onReaped;
        _onReaped = null;
        onReaped?.Invoke(ExitStatus!.Value);
    }

    private void At(long tick, Action action) =>
        _clock.ScheduleAbsolute(action, tick, static (_, a) => { a(); return Disposable.Empty; });
}

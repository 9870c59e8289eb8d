using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactivePorts;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace Supervision;

/// <summary>How a <see cref="ChildSupervisor"/> restarts its child.</summary>
/// <param name="MaxAttempts">Tries in all (the first start included) before giving up.</param>
/// <param name="InitialBackoff">The wait before the first restart; each next one doubles it…</param>
/// <param name="MaxBackoff">…up to this.</param>
public sealed record RestartPolicy(int MaxAttempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more): exponential, capped.</summary>
    public TimeSpan BackoffBefore(int attempt)
    {
        double factor = Math.Pow(2, attempt - 2);
        double ticks = Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>
/// Keeps a child running: starts it, forwards its lines, and when it fails (a non-zero exit, a
/// signal, a start error) starts it again after an exponential backoff, until it succeeds or
/// <see cref="RestartPolicy.MaxAttempts"/> tries have failed. Written against the ordinary Port API:
/// every port is opened on <c>scheduler</c>, and every wait is timed by it, so the same code runs
/// on <see cref="PollScheduler.Default"/> with real processes and on a virtual world's scheduler in
/// tests, where minutes of backoff take no real time.
/// </summary>
public sealed class ChildSupervisor : IDisposable
{
    private readonly SpawnSpec _child;
    private readonly PollScheduler _scheduler;
    private readonly RestartPolicy _policy;
    private readonly ReplaySubject<SupervisorEvent> _events = new();
    private readonly TaskCompletionSource<SupervisorOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SerialDisposable _current = new();
    private int _attempt;
    private bool _done;

    public ChildSupervisor(SpawnSpec child, PollScheduler scheduler, RestartPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(policy.MaxAttempts);
        _child = child.WithFraming(FrameFormat.Line()).WithScheduler(scheduler);
        _scheduler = scheduler;
        _policy = policy;
    }

    /// <summary>Everything that happened, replayed to late subscribers.</summary>
    public IObservable<SupervisorEvent> Events => _events.AsObservable();

    /// <summary>Completes with the outcome.</summary>
    public Task<SupervisorOutcome> Outcome => _outcome.Task;

    /// <summary>Starts the first attempt, on the scheduler.</summary>
    public void Start() => _current.Disposable = _scheduler.Schedule(() => StartAttempt());

    private void StartAttempt()
    {
        if (_done) return;
        int attempt = ++_attempt;
        Port port;
        try
        {
            port = _child.Open();
        }
        catch (Exception ex) when (ex is PortException or InvalidOperationException or IOException)
        {
            Failed(attempt, ExitStatus.Unknown, ex);
            return;
        }
        _events.OnNext(new ChildStarted(attempt, port.OsPid));
        // Events come on the port's loop, in Erlang's order: the lines, then the exit status.
        var subscription = port.Events.Subscribe(e =>
        {
            switch (e)
            {
                case PortData data:
                    _events.OnNext(new ChildOutput(attempt, System.Text.Encoding.UTF8.GetString(data.Packet.Payload.Span)));
                    break;
                case PortExited { Status: var status } when status.Success:
                    _events.OnNext(new ChildExited(attempt, status));
                    Finish(SupervisorOutcome.Succeeded);
                    break;
                case PortExited { Status: var status }:
                    Failed(attempt, status, null);
                    break;
            }
        });
        port.Output.Subscribe(_ => { }, _ => { }); // reading starts with the output's first subscriber
        _current.Disposable = new CompositeDisposable(subscription, port);
    }

    private void Failed(int attempt, ExitStatus status, Exception? error)
    {
        _events.OnNext(new ChildExited(attempt, status, error));
        if (attempt >= _policy.MaxAttempts)
        {
            Finish(SupervisorOutcome.GaveUp);
            return;
        }
        var delay = _policy.BackoffBefore(attempt + 1);
        _events.OnNext(new RestartScheduled(attempt + 1, delay));
        _current.Disposable = _scheduler.Schedule(delay, () => StartAttempt());
    }

    private void Finish(SupervisorOutcome outcome)
    {
        if (_done) return;
        _done = true;
        _events.OnNext(new SupervisorFinished(outcome, _attempt));
        _events.OnCompleted();
        _outcome.TrySetResult(outcome);
    }

    /// <summary>Stops supervising: a pending restart is cancelled, the current port closed (its child is left running, as any port's).</summary>
    public void Dispose()
    {
        if (!_done) _scheduler.Schedule(() => Finish(SupervisorOutcome.Stopped));
        _current.Dispose();
    }
}

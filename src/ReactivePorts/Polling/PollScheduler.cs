using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using ReactivePorts.Polling.Backends;

namespace ReactivePorts.Polling;

/// <summary>
/// A poll loop exposed as an Rx scheduler: one thread waits on many file descriptors (epoll)
/// and on a timer heap, and runs the work they trigger. Work scheduled from any thread runs on
/// the loop; descriptor readiness is available as observables.
/// </summary>
/// <remarks>
/// <para>Work on the loop must be quick and must never block: every port on the loop waits
/// while it runs. Use <see cref="IsLoopThread"/> to tell where you are.</para>
/// <para>A callback that throws does not stop the loop; the exception is published on
/// <see cref="Errors"/> and the loop carries on.</para>
/// <para>After <see cref="Dispose"/>, scheduling throws <see cref="ObjectDisposedException"/>
/// and work that was already queued is dropped (by design, as Rx's EventLoopScheduler).</para>
/// </remarks>
public sealed partial class PollScheduler : LocalScheduler, ISchedulerPeriodic, IDisposable
{
    private static readonly Lazy<PollScheduler> s_default = new(() => new PollScheduler(new PollSchedulerOptions { ThreadName = "ReactivePorts Poll (default)" }) { _processWide = true });
    private bool _processWide; // a default loop: it lives as long as the process, whoever calls Dispose
    private static int s_count;

    [ThreadStatic] private static PollScheduler? t_current;

    private readonly IPollBackend _backend;
    private readonly PollSchedulerOptions _options;
    private readonly Subject<Exception> _errors = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread? _thread;
    private volatile bool _disposed;

    /// <summary>Creates a poll loop with its own thread.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public PollScheduler(PollSchedulerOptions? options = null)
        : this(new EpollBackend((options ?? new()).MaxEventsPerWait), options)
    {
    }

    internal PollScheduler(IPollBackend backend, PollSchedulerOptions? options = null)
    {
        _backend = backend;
        _options = options ?? new PollSchedulerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.SpinDuration, TimeSpan.Zero, nameof(options));
        _spinTicks = _options.SpinDuration.Ticks;
        _events = new PollEvent[Math.Max(1, _options.MaxEventsPerWait)];
        if (backend.NeedsThread)
        {
            _thread = new Thread(RunLoop)
            {
                IsBackground = true,
                Name = $"{_options.ThreadName} {Interlocked.Increment(ref s_count)}",
            };
            _thread.UnsafeStart();
        }
    }

    /// <summary>The process-wide loop, started on first use and never disposed.</summary>
    public static PollScheduler Default => s_default.Value;

    private static PollScheduler?[]? s_defaults; // the default loops after the first, made as ports need them
    private static int s_nextDefault;

    /// <summary>
    /// The loop for a port opened without a scheduler of its own: one loop per processor (Erlang
    /// runs one scheduler per core), <see cref="Default"/> the first, each started on first use,
    /// taken in turn. One loop would bound many busy ports to one
    /// core; idle ports cost no more on several loops than on one.
    /// </summary>
    internal static PollScheduler NextDefault()
    {
        int count = Environment.ProcessorCount;
        int index = count <= 1 ? 0 : (int)((uint)(Interlocked.Increment(ref s_nextDefault) - 1) % (uint)count);
        if (index == 0) return Default;
        var loops = LazyInitializer.EnsureInitialized(ref s_defaults, () => new PollScheduler?[count]);
        if (Volatile.Read(ref loops[index]) is { } loop) return loop;
        lock (loops)
        {
            return loops[index] ??= new PollScheduler(new PollSchedulerOptions { ThreadName = $"ReactivePorts Poll (default {index + 1})" }) { _processWide = true };
        }
    }

    /// <summary>True when the calling thread is this scheduler's loop thread.</summary>
    public bool IsLoopThread => t_current == this;

    /// <summary>True when the calling thread is the loop thread of any <see cref="PollScheduler"/> (where blocking is forbidden).</summary>
    public static bool IsOnAnyLoopThread => t_current != null;

    /// <summary>
    /// Exceptions thrown by callbacks that ran on the loop (scheduled work, readiness
    /// subscribers, driver callbacks). Published on the loop thread; the loop carries on.
    /// Exceptions that nobody observes are dropped.
    /// </summary>
    public IObservable<Exception> Errors => _errors;

    /// <summary>Completes when the loop has stopped after <see cref="Dispose"/> and released its descriptors.</summary>
    internal Task Stopped => _stopped.Task;

    /// <summary>The loop thread, when it has one (for tests).</summary>
    internal Thread? LoopThread => _thread;

    /// <inheritdoc/>
    public override DateTimeOffset Now => _backend.UtcNow;

    /// <summary>Starts a stopwatch on the loop's monotonic clock (virtual under a virtual backend).</summary>
    public override IStopwatch StartStopwatch() => new LoopStopwatch(_backend);

    /// <summary>Schedules <paramref name="action"/> to run on the loop after <paramref name="dueTime"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public override IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var work = new ScheduledAction<TState>(this, state, action);
        Enqueue(work, Scheduler.Normalize(dueTime));
        return work;
    }

    /// <summary>Runs <paramref name="action"/> on the loop every <paramref name="period"/>, without drift; ticks missed while the loop was busy are skipped.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public IDisposable SchedulePeriodic<TState>(TState state, TimeSpan period, Func<TState, TState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        var periodic = new PeriodicWork<TState>(this, state, period, action);
        Enqueue(periodic, period);
        return periodic;
    }

    /// <summary>Runs <paramref name="action"/> on the loop: inline when called on the loop thread, queued otherwise.</summary>
    /// <remarks><paramref name="abandoned"/>, if given, runs instead when the loop shuts down before the action ran (during the shutdown, on the loop thread), so nothing waiting for it hangs.</remarks>
    internal void Post<TState>(Action<TState> action, TState state, Action<TState>? abandoned)
    {
        if (IsLoopThread) action(state);
        else Enqueue(new LoopCallback<TState>(action, state, abandoned), TimeSpan.Zero);
    }

    /// <summary>Runs <paramref name="action"/> on the loop: inline when called on the loop thread, queued otherwise.</summary>
    internal void Post<TState>(Action<TState> action, TState state)
    {
        if (IsLoopThread) action(state);
        else Enqueue(new LoopCallback<TState>(action, state), TimeSpan.Zero);
    }

    /// <summary>Queues a reusable work item to run on the loop, even when called on it (the caller makes sure it is queued at most once at a time).</summary>
    internal void Queue(PollWork work) => Enqueue(work, TimeSpan.Zero);

    /// <summary>Queues <paramref name="action"/> to run on the loop, even when called on it.</summary>
    internal PollWork Queue<TState>(Action<TState> action, TState state, TimeSpan dueTime = default)
    {
        var work = new LoopCallback<TState>(action, state);
        Enqueue(work, dueTime);
        return work;
    }

    /// <summary>Stops the loop: queued work is dropped, registered descriptors are deselected (their stop callbacks run), the loop's own descriptors are closed. The process-wide default loops (<see cref="Default"/> and those ports without a scheduler of their own run on) ignore it: other ports share them.</summary>
    public void Dispose()
    {
        if (_processWide) return; // a default loop lives as long as the process: other ports share it
        DisposeCore();
    }

    internal void DisposeCore()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        // Without a thread of its own (virtual time) nobody else will run the shutdown.
        if (_thread is null) Shutdown();
        else _backend.Wake();
    }

    /// <summary>Publishes a callback's exception without letting it escape the loop.</summary>
    internal void ReportError(Exception error)
    {
        try
        {
            _errors.OnNext(error);
        }
        catch
        {
            // An Errors subscriber threw in turn: there is nobody left to tell, and the loop must live.
        }
    }

    private sealed class LoopStopwatch(IPollBackend backend) : IStopwatch
    {
        private readonly long _start = backend.GetTimestamp();

        public TimeSpan Elapsed => TimeSpan.FromTicks(backend.GetTimestamp() - _start);
    }
}

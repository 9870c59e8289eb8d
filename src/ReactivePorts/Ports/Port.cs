using System.Reactive.Subjects;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts;

/// <summary>
/// An open port: a duplex byte channel to something outside the runtime — a child process, a
/// driver of your own — with its output as an observable of packets and its input as a sink. Open
/// one from a spec: <c>Port.Spawn("cat").WithFraming(FrameFormat.Line()).Open()</c>, or
/// <c>Port.Driver(() => new MyDriver()).Open()</c>. Every driver runs through the same port.
/// </summary>
/// <remarks>
/// <para>Packets are delivered on the port's poll-loop thread (the fast path): keep
/// <c>OnNext</c> quick, or hand off with <see cref="PortOutput.ObserveOn"/> (bounded), never
/// with plain Rx <c>ObserveOn</c> (unbounded).</para>
/// <para>Order (Erlang's): data (including the last unterminated line) → exit status → eof
/// (eof mode) → completion. A header over the maximum packet size fails the port at once.</para>
/// <para>Closing ends the output at once and flushes what is queued in the background, then
/// closes the pipes; the child is not killed (Erlang's rule) unless asked for.</para>
/// </remarks>
public sealed partial class Port : IPortSink, IDisposable, IAsyncDisposable
{
    private readonly DriverContext _core;
    private readonly PortDriver _driver;
    private readonly PortOptions _options;
    private readonly string _name;
    private readonly TaskCompletionSource<ExitStatus> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Subject<PortEvent> _events = new();
    private readonly BehaviorSubject<bool> _busy = new(false);
    private readonly Subject<ReadOnlyMemory<byte>> _stderr = new();
    private readonly PortOutput _output;
    private IObserver<Packet>? _observer;
    private bool _readingStarted;
    private volatile bool _terminated;
    private Exception? _terminalError;
    private volatile StatusBox? _status;
    private int _disposed;
    private readonly int _writeLimit;

    internal Port(PollScheduler loop, PortDriver driver, PortOptions options, string name)
    {
        _options = options;
        _name = name;
        _driver = driver;
        _writeLimit = WriteLimit();
        _core = new DriverContext(loop, driver, options, this);
        if (driver.Process is null)
        {
            // Nothing will ever exit: awaiting the status must not hang. Observed here, so nobody is
            // told of an unobserved exception for a task they never looked at.
            _exit.SetException(new NotSupportedException($"Port '{name}' (driver '{driver.Name}') has no OS process, so no exit status."));
            _ = _exit.Task.Exception;
        }
        _output = new PortOutput(this);
        // Views, so nobody can cast them back to subjects and inject events, and guarded, so a
        // subscriber that throws is detached and reported instead of breaking the port's teardown.
        Events = GuardedObserver<PortEvent>.View(_events, loop);
        StandardError = GuardedObserver<ReadOnlyMemory<byte>>.View(_stderr, loop);
        Busy = GuardedObserver<bool>.View(_busy, loop);
        Input = new PortInput(this);
    }

    /// <summary>The loop the port runs on (where packets are delivered).</summary>
    public PollScheduler Scheduler => _core.Scheduler;

    /// <summary>The OS process id behind the port: the child's, or what the driver set; null when there is none (Erlang's <c>port_info</c> says <c>undefined</c>).</summary>
    public int? OsPid => _driver.Process?.Pid ?? _core.OsPid;

    /// <summary>The port's name (the command or executable, or the driver's name).</summary>
    public string Name => _name;

    /// <summary>The driver's name (<c>"spawn"</c> for processes).</summary>
    public string DriverName => _driver.Name;

    /// <summary>
    /// Completes when the driver has started (at once after its start callback, or when a driver
    /// that <see cref="PortDriver.UsesStartAcknowledgement"/> acknowledges); faults with the reason
    /// when the port ends before that.
    /// </summary>
    public Task Started => _started.Task;

    /// <summary>
    /// Completes when the port has ended, whatever its driver: normally (closed, or at end of output
    /// and exit), or faulted with the reason when it was aborted or failed. Never faults unobserved.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// The packets the port delivers, on the loop thread. One subscriber (use <c>Publish</c> to
    /// share); reading starts when it subscribes, so nothing is lost before that. Disposing the
    /// subscription closes the port.
    /// </summary>
    public PortOutput Output => _output;

    /// <summary>
    /// Everything that happens, in order (data, exit, eof in eof mode, write failures, close), as a view for
    /// monitoring: events from the moment of subscribing. Subscribing here does not start reading;
    /// subscribing to <see cref="Output"/> does (so a monitor subscribed first cannot take packets
    /// away from the output).
    /// </summary>
    public IObservable<PortEvent> Events { get; }

    /// <summary>The child's standard error, when the port captures it apart (<see cref="StandardErrorMode.Separate"/>). Chunks before the first subscription are dropped: subscribe before the output.</summary>
    public IObservable<ReadOnlyMemory<byte>> StandardError { get; }

    /// <summary>Busy state: true while senders are held back. Starts with the current state.</summary>
    public IObservable<bool> Busy { get; }

    /// <summary>
    /// Completes with the exit status when the child has been reaped (also after the port was
    /// closed). For a driver without a process it is already faulted with <see cref="NotSupportedException"/>.
    /// </summary>
    public Task<ExitStatus> Exit => _exit.Task;

    /// <summary>
    /// The input as an Rx observer. <c>OnNext</c> never loses data while the child reads: off the
    /// loop it waits while the port is busy; on a loop thread it queues and pauses the port that is
    /// delivering there until this one is ready. Once the child has stopped reading (EPIPE; bytes
    /// already queued are reported once on <see cref="Events"/>) or the port has ended by itself, payloads are discarded rather
    /// than thrown at the source. <c>OnCompleted</c> closes the child's input (half-close);
    /// <c>OnError</c> closes the port.
    /// </summary>
    /// <remarks>
    /// Writes from Rx work scheduled on a loop (timers, <c>Interval</c>) have no port to pause:
    /// they queue past the busy mark without bound. Feed such sources through
    /// <see cref="WriteAsync"/> off the loop, or check <see cref="Busy"/>. Two ports feeding each
    /// other (a → b → a) through children that write more than they read can deadlock once both
    /// are busy, as the same pipeline would with plain pipes.
    /// </remarks>
    public IObserver<ReadOnlyMemory<byte>> Input { get; }

    /// <summary>A snapshot of the port's state and counters.</summary>
    public PortInfo GetInfo() => new(_name, _core.DriverName, OsPid, _core.BytesRead, _core.BytesWritten,
        _core.PacketsRead, _core.PacketsWritten, _core.QueuedBytes, _core.IsBusy, State, _status?.Value);

    /// <summary>Where the port is in its life: open; closing (ended for its user, flushing what was queued); closed.</summary>
    public PortState State =>
        _core.IsClosed ? PortState.Closed
        : _terminated || Volatile.Read(ref _disposed) != 0 ? PortState.Closing
        : PortState.Open;

    /// <summary>Whether the port is open (see <see cref="State"/>).</summary>
    public bool IsOpen => State == PortState.Open;

    /// <summary>
    /// Whether the port delivers zero-copy packets (<c>WithZeroCopy()</c>): payloads then point into
    /// the loop's read buffer and are valid only during <c>OnNext</c>, so whoever keeps or hands one
    /// off to another thread copies it first.
    /// </summary>
    public bool IsZeroCopy => _options.ZeroCopy;

    internal DriverContext Core => _core;

    internal PortOptions Options => _options;

    /// <summary>Starts the driver on the loop (called once by the opener).</summary>
    internal void Start()
    {
        PortTracking.Tracker?.OnOpened(this);
        try
        {
            Scheduler.Post(static p => p._core.Start(), this, static p => p._core.AbandonUnstarted());
        }
        catch
        {
            PortTracking.Tracker?.OnEnded(this); // never started, so never finishes
            throw;
        }
    }

    internal void Subscribe(IObserver<Packet> observer)
    {
        Scheduler.Post(static s =>
        {
            var (port, observer) = s;
            if (port._terminated)
            {
                if (port._terminalError is { } error) observer.OnError(error);
                else observer.OnCompleted();
                return;
            }
            port._observer = observer;
            port.StartReading();
        }, (this, observer));
    }

    /// <summary>The subscription was disposed: the port closes as with <see cref="CloseAsync"/>.</summary>
    internal void Unsubscribe()
    {
        Interlocked.Exchange(ref _disposed, 1);
        _core.CloseInput();
        try
        {
            Scheduler.Post(static p =>
            {
                p._observer = null;
                p._core.BeginClose(p._options.FlushTimeout, null);
            }, this);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone, and every descriptor with it: nothing is left to close.
        }
    }

    /// <summary>
    /// The output's subscriber threw (on the loop, or on a hand-off's scheduler): it is detached and
    /// gets nothing more, the exception is reported on <see cref="PollScheduler.Errors"/>, and the port
    /// fails with it, closing our read end so the child gets EPIPE instead of blocking. Any thread.
    /// </summary>
    internal void SubscriberFailed(Exception error)
    {
        if (Scheduler.IsLoopThread)
        {
            _observer = null;
            Scheduler.ReportError(error);
            _core.Fail(error);
            return;
        }
        try
        {
            Scheduler.Post(static s => s.Port.SubscriberFailed(s.Error), (Port: this, Error: error));
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone, and the port with it: nobody is left to tell.
        }
    }

    private void StartReading()
    {
        if (_readingStarted) return;
        _readingStarted = true;
        _core.ResumeReading();
    }

    void IPortSink.OnPacket(Packet packet)
    {
        if (_observer is { } observer)
        {
            try
            {
                observer.OnNext(packet);
            }
            catch (Exception ex)
            {
                // The subscriber failed: it gets nothing more (no second terminal message), our read
                // end is closed so the child gets EPIPE instead of blocking, and the port fails.
                SubscriberFailed(ex);
                return;
            }
        }
        if (_events.HasObservers) _events.OnNext(new PortData(packet));
    }

    void IPortSink.OnStandardError(ReadOnlyMemory<byte> chunk) => _stderr.OnNext(chunk);

    void IPortSink.OnEof()
    {
        if (_events.HasObservers) _events.OnNext(PortEof.Instance);
    }

    void IPortSink.OnStarted() => _started.TrySetResult();

    void IPortSink.OnTruncatedFrame(TruncatedFrameException frame)
    {
        if (_events.HasObservers) _events.OnNext(new PortTruncatedFrame(frame.ExpectedBytes, frame.ReceivedBytes, frame.IsInHeader));
    }

    void IPortSink.OnExitStatus(ExitStatus status)
    {
        _status = new StatusBox(status);
        // Reaped: there is nothing left to kill at application exit.
        ChildRegistry.Remove(this);
        PortTracking.Tracker?.OnExitStatus(this, status);
        _exit.TrySetResult(status);
    }

    void IPortSink.OnExited(ExitStatus status)
    {
        if (!_terminated && _events.HasObservers) _events.OnNext(new PortExited(status));
    }

    void IPortSink.OnWriteFailed(Exception error)
    {
        if (_events.HasObservers) _events.OnNext(new PortWriteFailed(error));
    }

    void IPortSink.OnClosed(Exception? error)
    {
        // An unknown status (ECHILD: someone else reaped the child) is not a failure: nothing says it failed.
        if (error is null && _options.ValidateExit && _status?.Value is { Success: false, IsUnknown: false } status)
            error = new PortExitException(_name, status);
        _terminated = true;
        _terminalError = error;
        var observer = _observer;
        _observer = null;
        // The views end first, so whoever wakes up on the output's completion finds them complete.
        _events.OnNext(new PortClosed(error));
        _events.OnCompleted();
        _stderr.OnCompleted();
        _busy.OnCompleted();
        if (observer is not null)
        {
            if (error is null) observer.OnCompleted();
            else observer.OnError(error);
        }
        SetCompletion(_started, error ?? new ObjectDisposedException(DriverContext.PortObjectName, $"Port '{_name}' closed before its driver started."));
        SetCompletion(_completion, error);
    }

    void IPortSink.OnFinished()
    {
        PortTracking.Tracker?.OnEnded(this);
        // Kill-on-close acts once the port is torn down, that is after the flush, so what was
        // written before the close still reaches the child.
        if (_options.KillOnClose && _status is null) KillAfterClose();
    }

    void IPortSink.OnBusyChanged(bool busy)
    {
        if (busy) PortTracking.Tracker?.OnBusy(this);
        _busy.OnNext(busy);
    }
}

public sealed partial class Port
{
    /// <summary>Completes a task with an error (observed, so an unawaited task raises nothing) or without.</summary>
    private static void SetCompletion(TaskCompletionSource task, Exception? error)
    {
        if (error is null)
        {
            task.TrySetResult();
        }
        else if (task.TrySetException(error))
        {
            _ = task.Task.Exception;
        }
    }
}

/// <summary>An exit status behind a reference, so it can be published to other threads atomically.</summary>
internal sealed record StatusBox(ExitStatus Value);

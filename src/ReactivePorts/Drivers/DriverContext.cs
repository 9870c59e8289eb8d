using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers;

/// <summary>
/// The handle a driver acts through (Erlang's <c>ErlDrvPort</c>): deliver output (framed data or
/// whole packets), eof and exit status; the driver queue for input it could not write yet; busy;
/// select descriptors and read and write them (<see cref="IO"/>); one timer; async work by key;
/// failure; start acknowledgement; os pid. Every member is for use from the driver's callbacks, on
/// the port's loop thread. See <see cref="PortDriver"/> for what input and output mean.
/// </summary>
public sealed partial class DriverContext : IPacketSink, ILoopShutdownListener
{
    private enum State { Created, Starting, Open, Closing, Closed }

    /// <summary>The object name of the public port, for <see cref="ObjectDisposedException"/>s raised here.</summary>
    internal const string PortObjectName = "ReactivePorts.Port";

    private readonly PortDriver _driver;
    private readonly PortOptions _options;
    private readonly IPortSink _sink;
    private readonly FrameDecoder _decoder;
    private State _state;
    private bool _ended;           // the user side has been told the port ended (sink.OnClosed): nothing more is delivered
    private bool _eofDelivered;    // end of output reached (the decoder was completed)
    private bool _eofReported;     // the eof event (eof mode) is out
    private bool _endAtEof;        // FailEof: end at eof without waiting for an exit status
    private ExitStatus? _exit;
    private bool _exitDelivered;
    private bool _inputStarted;    // the first subscriber resumed reading
    private bool _eofDeferred;     // eof came before that
    private long _bytesRead;

    internal DriverContext(PollScheduler loop, PortDriver driver, PortOptions options, IPortSink sink)
    {
        driver.Claim();
        Scheduler = loop;
        _driver = driver;
        _options = options;
        _sink = sink;
        _decoder = options.Framing.CreateDecoder();
        _highWatermark = options.HighWatermark;
        _lowWatermark = options.LowWatermark;
        _plainHeader = PlainHeader();
        _pausedReading = 1; // nothing is read until the output is first subscribed
        IO = new DescriptorIO(this);
    }

    /// <summary>Reads and writes the port's descriptors (through the loop's backend, so virtual devices work too).</summary>
    public DescriptorIO IO { get; }

    internal bool IsZeroCopy => _options.ZeroCopy;

    /// <summary>The loop this port runs on.</summary>
    public PollScheduler Scheduler { get; }

    /// <summary>The OS process id behind the port, if any (Erlang's <c>erl_drv_set_os_pid</c>).</summary>
    public int? OsPid { get; private set; }

    /// <summary>The driver's name.</summary>
    internal string DriverName => _driver.Name;

    internal PortDriver Driver => _driver;

    /// <summary>Bytes delivered as packet payloads so far.</summary>
    internal long BytesRead => Volatile.Read(ref _bytesRead);

    internal bool IsClosed => _state == State.Closed;

    internal bool IsOpen => _state == State.Open;

    /// <summary>Records the OS process id shown in port info.</summary>
    public void SetOsPid(int pid) => OsPid = pid;

    /// <summary>Starts the driver (loop thread). A throwing start fails the port.</summary>
    internal void Start()
    {
        if (_state != State.Created) return;
        _state = State.Starting;
        _driver.Attach(this);
        Scheduler.AddShutdownListener(this);
        ResetTimeslice();
        Guard(static d => d.CallOnStart());
        if (_state == State.Starting && !_driver.UsesStartAcknowledgement) AcknowledgeStart();
    }

    /// <summary>
    /// The driver's start is complete (Erlang's <c>erl_drv_init_ack</c>), for drivers that
    /// <see cref="PortDriver.UsesStartAcknowledgement"/>: the port is open from now, writes accepted
    /// meanwhile go to the driver, and <see cref="Port.Started"/> completes. To fail the start
    /// instead, call <see cref="Fail"/>. A second call does nothing.
    /// </summary>
    public void AcknowledgeStart()
    {
        if (_state != State.Starting) return;
        _state = State.Open;
        _sink.OnStarted();
        bool pending;
        lock (_writeGate) pending = _pendingBytes > 0 || _batchUsed > _batchStart;
        if (pending) ScheduleDrain();
        else if (_inputEnding) OnQueueEmpty(); // a half-close made while starting
    }

    /// <summary>The child exited (loop thread). Reported after eof unless the port was told otherwise.</summary>
    public void ReportExit(ExitStatus status)
    {
        if (_exit.HasValue) return;
        _exit = status;
        // The status itself is known now, whatever the events still wait for (eof held by a
        // grandchild, nobody subscribed yet, the port closed early): the exit task completes here.
        _sink.OnExitStatus(status);
        if (_state == State.Closed) return;
        // The child is gone, and its input with it: later writes fail at once (EPIPE), and what is
        // still queued will never be written.
        WriteEndedByExit();
        Guard(d => d.CallOnProcessExit(status));
        if (_state == State.Closed) return;
        if (!_options.ExitWaitsForEof && !_eofDelivered)
        {
            // Reported now only if someone is reading; otherwise when the first subscriber comes,
            // so the event never runs ahead of the data nobody has read yet.
            if (_inputStarted) ReportExitBeforeEof();
            return;
        }
        TryFinish();
    }

    /// <summary>The "don't wait for eof" option: the exit event now, and the end after the drain timeout.</summary>
    private void ReportExitBeforeEof()
    {
        if (_ended || _exitDelivered || _exit is not { } status) return;
        _exitDelivered = true;
        _sink.OnExited(status);
        SetDrainTimer();
    }

    /// <summary>
    /// Runs a control operation on the driver (Erlang's <c>port_control</c>; loop thread). What the
    /// driver throws (NotSupportedException for an unknown operation) goes to the caller who asked;
    /// it does not fail the port.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The port is closed.</exception>
    internal byte[] Control(int operation, ReadOnlySpan<byte> data, bool call)
    {
        if (_state == State.Closed) throw new ObjectDisposedException(PortObjectName, "The port is closed.");
        ResetTimeslice();
        return call ? _driver.CallOnCall(operation, data) : _driver.CallOnControl(operation, data);
    }

    /// <summary>Closes the port with an error (Erlang's <c>driver_failure</c>): subscribers get OnError.</summary>
    public void Fail(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Finish(reason);
    }

    /// <summary>
    /// Signals eof and ends the port (Erlang's <c>driver_failure_eof</c>): the last line is delivered
    /// and the output completes without waiting for an exit status; in eof mode
    /// (<see cref="PortSpec{TSpec}.WithEofMode"/>) eof is reported and the port stays open until closed.
    /// Held, like any eof, until the output's first subscriber.
    /// </summary>
    public void FailEof()
    {
        _endAtEof = true;
        if (!_eofDelivered) DeliverEof();
        else TryFinish();
    }

    /// <summary>Closes the port with an OS error (Erlang's <c>driver_failure_posix</c>): subscribers get an <see cref="IOException"/> naming the errno.</summary>
    public void FailErrno(int errno) => Finish(Interop.Libc.IOError(_driver.Name, errno));

    /// <summary>
    /// At end of output: Erlang's order, data → exit status → eof. With an exit status the end waits
    /// for it; in eof mode the eof event comes last and the port stays open (and writable) until
    /// closed; otherwise the port ends.
    /// </summary>
    private void TryFinish()
    {
        if (_ended || !_eofDelivered) return;
        if (_options.HasExitStatus)
        {
            if (_exit is { } status && !_exitDelivered)
            {
                _exitDelivered = true;
                _sink.OnExited(status);
            }
            if (!_exitDelivered && !_endAtEof) return;
        }
        if (_options.StayOpenAfterEof)
        {
            if (!_eofReported)
            {
                _eofReported = true;
                _sink.OnEof();
            }
            return;
        }
        Finish(null);
    }

    /// <summary>Tells the user side, once, that the port ended: subscribers complete (or get <paramref name="error"/>) and nothing more is delivered.</summary>
    private void EndForUser(Exception? error)
    {
        if (_ended) return;
        _ended = true;
        _sink.OnClosed(error);
    }

    /// <summary>The one teardown path: stop the driver, deselect everything, fail waiting writers, tell the user side once.</summary>
    private void Finish(Exception? error)
    {
        if (_state == State.Closed) return;
        if (_state == State.Created) _driver.Attach(this);
        _state = State.Closed;
        Scheduler.RemoveShutdownListener(this);
        CancelAllTimers();
        try
        {
            _driver.CallOnStop();
        }
        catch (Exception ex)
        {
            // The port is going away regardless; the driver's failure is reported, not thrown.
            Scheduler.ReportError(ex);
        }
        DeselectAll();
        FailWaitingWriters(error);
        EndForUser(error);
        // Whatever was accepted and is still here (pending, being handed over, queued) will never
        // be written: the close's result says so.
        lock (_writeGate) _unwrittenBytes += _drainingBytes;
        DropQueued();
        CompleteCloseWaiters();
        _sink.OnFinished();
    }

    /// <summary>Runs a driver callback; an exception from it fails the port.</summary>
    private void Guard(Action<PortDriver> callback)
    {
        try
        {
            callback(_driver);
        }
        catch (Exception ex)
        {
            // A driver that throws fails its own port, and only its port.
            Finish(ex);
        }
    }

    void ILoopShutdownListener.OnLoopShutdown() =>
        Finish(new ObjectDisposedException(nameof(PollScheduler), "The port's poll loop was disposed."));
}

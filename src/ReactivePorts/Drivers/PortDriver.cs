using System.Runtime.InteropServices;

namespace ReactivePorts.Drivers;

/// <summary>
/// A driver: the code behind one open port, Erlang's <c>driver_entry</c> callbacks as virtual
/// methods. Derive from it to make anything a port (a socket, a device, a library), then open it
/// with <see cref="Port.Driver(Func{PortDriver})"/>. The port calls the callbacks one at a time, on
/// its poll loop's thread, never concurrently (Erlang's port-level locking), so a driver needs no
/// locks of its own. A driver acts through its <see cref="Context"/>: it delivers data, queues
/// what it cannot write yet, selects descriptors, sets a timer, runs async work, reports busy,
/// failure, eof and exit.
/// </summary>
/// <remarks>
/// <para><b>Directions.</b> Everywhere in ReactivePorts, <i>input</i> is what the user writes into a
/// port (<see cref="Port.Input"/>, <see cref="Port.WriteAsync"/>; here <see cref="OnInput"/>, the
/// driver queue, <see cref="OnInputEnd"/>), on its way to the outside world; <i>output</i> is what
/// the port hands to the user (<see cref="Port.Output"/>; here <see cref="DriverContext.DeliverData"/>
/// and the other <c>Deliver…</c> members). Descriptors are only ever <i>readable</i> or
/// <i>writable</i>. (Erlang names the callback that receives the user's data <c>output</c>, from the
/// Erlang process's side; its counterpart here is <see cref="OnInput"/>.)</para>
/// <para>Callbacks must be quick and must never block: every port on the loop waits while one runs;
/// blocking work goes to <see cref="DriverContext.Async"/>. Framing is the port's business:
/// <see cref="OnInput"/> receives bytes already encoded with the port's framing, and
/// <see cref="DriverContext.DeliverData"/> decodes incoming bytes with it. A callback that throws
/// fails the port with that exception. Descriptors are read and written with
/// <see cref="DriverContext.IO"/>, so a driver needs no P/Invoke and runs in virtual time too.</para>
/// </remarks>
public abstract class PortDriver
{
    private DriverContext? _context;

    /// <summary>The port this driver instance serves. Set just before <see cref="OnStart"/>.</summary>
    /// <exception cref="InvalidOperationException">The driver has not been started.</exception>
    protected DriverContext Context => _context ?? throw new InvalidOperationException("The driver has not been started on a port.");

    /// <summary>The driver's name, as Erlang's <c>driver_name</c> (for port info and loading).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The driver API version this driver was written for (Erlang's <c>major_version</c>/<c>minor_version</c>).
    /// A driver built against a release of ReactivePorts overrides it with <see cref="DriverApi.Version"/>
    /// of that release; loaders refuse a driver whose major version differs from the running
    /// library's, or whose minor version is newer. The default claims the running library's version.
    /// </summary>
    public virtual Version ApiVersion => DriverApi.Version;

    /// <summary>
    /// Whether the start completes later (Erlang's <c>ERL_DRV_FLAG_USE_INIT_ACK</c>): the port is not
    /// started until the driver calls <see cref="DriverContext.AcknowledgeStart"/> (or fails); writes
    /// wait until then, and <see cref="Port.Started"/> completes then.
    /// </summary>
    public virtual bool UsesStartAcknowledgement => false;

    /// <summary>The OS process behind the port, for drivers that run one; null (the default) for others. See <see cref="IPortProcess"/>.</summary>
    public virtual IPortProcess? Process => null;

    private int _claimed;

    internal void Attach(DriverContext context) => _context = context;

    /// <summary>Claims this instance for one port.</summary>
    /// <exception cref="InvalidOperationException">It already serves a port (each port needs a driver instance of its own).</exception>
    internal void Claim()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
            throw new InvalidOperationException($"This '{Name}' driver instance already serves a port; each port needs an instance of its own (a factory that makes a new one).");
    }

    /// <summary>The port opened (Erlang's <c>start</c>). Select descriptors here. Throwing fails the open.</summary>
    protected virtual void OnStart() { }

    /// <summary>The port is closing: release everything (Erlang's <c>stop</c>). Selected descriptors are deselected by the port afterwards.</summary>
    protected virtual void OnStop() { }

    /// <summary>The port will deliver no more output (a framing error, the reader went away, the drain time after an exit ran out): stop reading, and close what was read from, so a writer on the other side gets EPIPE instead of blocking.</summary>
    protected virtual void OnStopReading() { }

    /// <summary>
    /// Reading may go on again (the output's first subscriber came, or a full hand-off or a busy
    /// downstream port let go; see <see cref="DriverContext.IsReadingPaused"/>). Selected descriptors
    /// are re-armed by the port itself; a driver that reads in some other way (async work on a
    /// regular file, which the loop cannot watch; a generator on a timer) starts again here. The
    /// default does nothing.
    /// </summary>
    protected virtual void OnReadingResumed() { }

    /// <summary>Bytes the user wrote (framed already; Erlang's <c>output</c>). Write them, or queue them with <see cref="DriverContext.Enqueue"/>.</summary>
    /// <param name="data">The bytes, valid only during this call (as Erlang's): write them, copy them, or queue them with <see cref="DriverContext.Enqueue"/>, which keeps them until they are dequeued. The port reuses their buffer afterwards.</param>
    /// <exception cref="NotSupportedException">The driver takes no input (the default).</exception>
    protected virtual void OnInput(ReadOnlyMemory<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver does not accept input.");

    /// <summary>
    /// A write of the user's input that the port made itself, straight from a writer's thread (see
    /// <see cref="DriverContext.EnableDirectWrites"/>), failed for good with <paramref name="errno"/>
    /// (EPIPE, ECONNRESET): that write threw to its caller and every later write fails at once. The
    /// default does nothing (reading goes on, as the spawn driver wants); a driver whose port should
    /// end with its input (a socket, as Erlang's <c>exit_on_close</c>) fails the port here.
    /// </summary>
    protected virtual void OnInputFailed(int errno) { }

    /// <summary>The user will write nothing more and everything written has been handed to <see cref="OnInput"/> and written from the queue: close the outgoing stream (half-close), keep reading.</summary>
    protected virtual void OnInputEnd() { }

    /// <summary>A descriptor selected for reading is readable (Erlang's <c>ready_input</c>).</summary>
    protected virtual void OnReadable(SafeHandle handle) { }

    /// <summary>A descriptor selected for writing is writable (Erlang's <c>ready_output</c>).</summary>
    protected virtual void OnWritable(SafeHandle handle) { }

    /// <summary>
    /// A deselected descriptor is no longer watched and may be closed now (Erlang's
    /// <c>stop_select</c>). The default disposes the handle; override to keep handles the driver does not own.
    /// </summary>
    protected virtual void OnStopSelect(SafeHandle handle) => handle.Dispose();

    /// <summary>A control operation (Erlang's <c>control</c>): an operation code and bytes in, bytes out.</summary>
    /// <exception cref="NotSupportedException">The driver has no such operation (the default).</exception>
    protected virtual byte[] OnControl(int operation, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver has no control operation {operation}.");

    /// <summary>A synchronous call (Erlang's <c>call</c>), like control but meant for structured requests.</summary>
    /// <exception cref="NotSupportedException">The driver has no such command (the default).</exception>
    protected virtual byte[] OnCall(int command, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver has no call {command}.");

    /// <summary>The port's timer expired (Erlang's <c>timeout</c>).</summary>
    protected virtual void OnTimeout() { }

    /// <summary>
    /// The port is asked to close while its queue holds data (Erlang's <c>flush</c>): keep
    /// writing; the port closes once the queue is empty (or the close times out).
    /// </summary>
    protected virtual void OnFlush() { }

    /// <summary>The driver's process has exited and been reaped (Erlang's <c>process_exit</c>), reported with <see cref="DriverContext.ReportExit"/>.</summary>
    protected virtual void OnProcessExit(ExitStatus status) { }

    /// <summary>Async work started with <see cref="DriverContext.Async"/> without a completion of its own has finished (Erlang's <c>ready_async</c>); <paramref name="error"/> is what it threw.</summary>
    protected virtual void OnAsyncCompleted(object? key, Exception? error) { }

    /// <summary>Whether the driver overrides <see cref="OnInput"/>: a port on a driver that takes no input refuses writes at the call, as Erlang's <c>port_command</c> to such a driver.</summary>
    internal bool TakesInput => ((Action<ReadOnlyMemory<byte>>)OnInput).Method.DeclaringType != typeof(PortDriver);

    // The core calls the callbacks through these: the callbacks themselves stay protected, so a
    // driver in any assembly overrides them as "protected override", friend assemblies included.
    internal void CallOnStart() => OnStart();
    internal void CallOnStop() => OnStop();
    internal void CallOnStopReading() => OnStopReading();
    internal void CallOnReadingResumed() => OnReadingResumed();
    internal void CallOnInput(ReadOnlyMemory<byte> data) => OnInput(data);
    internal void CallOnInputFailed(int errno) => OnInputFailed(errno);
    internal void CallOnInputEnd() => OnInputEnd();
    internal void CallOnReadable(SafeHandle handle) => OnReadable(handle);
    internal void CallOnWritable(SafeHandle handle) => OnWritable(handle);
    internal void CallOnStopSelect(SafeHandle handle) => OnStopSelect(handle);
    internal byte[] CallOnControl(int operation, ReadOnlySpan<byte> data) => OnControl(operation, data);
    internal byte[] CallOnCall(int command, ReadOnlySpan<byte> data) => OnCall(command, data);
    internal void CallOnTimeout() => OnTimeout();
    internal void CallOnFlush() => OnFlush();
    internal void CallOnProcessExit(ExitStatus status) => OnProcessExit(status);
    internal void CallOnAsyncCompleted(object? key, Exception? error) => OnAsyncCompleted(key, error);
}

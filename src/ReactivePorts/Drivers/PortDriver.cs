using System.Runtime.InteropServices;

namespace ReactivePorts.Drivers;

/// <summary>
/// A driver: the code behind one open port, Erlang's <c>driver_entry</c> callbacks as virtual
/// methods. The port calls them one at a time, on its poll loop's thread, never concurrently
/// (Erlang's port-level locking), so a driver needs no locks of its own. A driver acts through
/// its <see cref="Port"/> handle: it delivers data, queues output, selects descriptors, sets a
/// timer, runs async work, reports busy, failure, eof and exit.
/// </summary>
/// <remarks>
/// Callbacks must be quick and must never block: every port on the loop waits while one runs.
/// Framing is the port's business: <see cref="OnOutput"/> receives bytes already encoded with
/// the port's framing, and <see cref="DriverPort.DeliverData"/> decodes incoming bytes with it.
/// A callback that throws fails the port with that exception.
/// </remarks>
public abstract class PortDriver
{
    private DriverPort? _port;

    /// <summary>The port this driver instance serves. Set just before <see cref="OnStart"/>.</summary>
    /// <exception cref="InvalidOperationException">The driver has not been started.</exception>
    protected DriverPort Port => _port ?? throw new InvalidOperationException("The driver has not been started on a port.");

    /// <summary>The driver's name, as Erlang's <c>driver_name</c> (for port info and loading).</summary>
    public abstract string Name { get; }

    internal void Attach(DriverPort port) => _port = port;

    /// <summary>The port opened (Erlang's <c>start</c>). Select descriptors here. Throwing fails the open.</summary>
    protected internal virtual void OnStart() { }

    /// <summary>The port is closing: release everything (Erlang's <c>stop</c>). Selected descriptors are deselected by the port afterwards.</summary>
    protected internal virtual void OnStop() { }

    /// <summary>The port will read no more (a framing error, or the reader went away): stop reading and close input descriptors, so a writer on the other side gets EPIPE instead of blocking.</summary>
    protected internal virtual void OnStopInput() { }

    /// <summary>Bytes the user sent (framed already). Write them, or queue them with <see cref="DriverPort.Enqueue"/> (Erlang's <c>output</c>).</summary>
    /// <param name="data">The bytes; they belong to the driver, which may keep (queue) them without copying.</param>
    protected internal virtual void OnOutput(ReadOnlyMemory<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver does not accept output.");

    /// <summary>
    /// Whether the driver is done with the bytes of <see cref="OnOutput"/> once it returns, except
    /// for what it queued with <see cref="DriverPort.Enqueue"/> (kept until dequeued): the port may
    /// then reuse its batch buffers. Off by default: a driver owns what it is given.
    /// </summary>
    internal virtual bool ReleasesOutput => false;

    /// <summary>How many bytes the output descriptor takes at once when empty (a pipe's capacity), known after <see cref="OnStart"/>; 0 when unknown. Bytes up to it that wait for the loop do not make the port busy.</summary>
    internal virtual int OutputCapacity => 0;

    /// <summary>Whether <see cref="WriteDirect"/> works: the port then lets callers on other threads write to an idle output directly.</summary>
    internal virtual bool SupportsDirectOutput => false;

    /// <summary>
    /// Writes one frame (<paramref name="header"/> then <paramref name="payload"/>) straight to the
    /// output descriptor from any thread, without blocking. The port calls it only while nothing else
    /// is being written and the driver queue is empty, so order is kept. Returns the bytes written
    /// (0 when the descriptor takes nothing now), or a negative value on any failure: the port then
    /// hands the unwritten bytes to <see cref="OnOutput"/> on the loop, which meets and reports it.
    /// </summary>
    internal virtual nint WriteDirect(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) => -1;

    /// <summary>The user will send nothing more and everything it sent has been handed to <see cref="OnOutput"/> and written from the queue: close the outgoing stream (half-close), keep reading.</summary>
    protected internal virtual void OnOutputEnd() { }

    /// <summary>A descriptor selected for reading is ready (Erlang's <c>ready_input</c>).</summary>
    protected internal virtual void OnReadyInput(SafeHandle handle) { }

    /// <summary>A descriptor selected for writing is ready (Erlang's <c>ready_output</c>).</summary>
    protected internal virtual void OnReadyOutput(SafeHandle handle) { }

    /// <summary>
    /// A deselected descriptor is no longer watched and may be closed now (Erlang's
    /// <c>stop_select</c>). The default disposes the handle.
    /// </summary>
    protected internal virtual void OnStopSelect(SafeHandle handle) => handle.Dispose();

    /// <summary>A control operation (Erlang's <c>control</c>): an operation code and bytes in, bytes out.</summary>
    /// <exception cref="NotSupportedException">The driver has no such operation (the default).</exception>
    protected internal virtual byte[] OnControl(int operation, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver has no control operation {operation}.");

    /// <summary>A synchronous call (Erlang's <c>call</c>), like control but meant for structured requests.</summary>
    /// <exception cref="NotSupportedException">The driver has no such command (the default).</exception>
    protected internal virtual byte[] OnCall(int command, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"The '{Name}' driver has no call {command}.");

    /// <summary>The port's timer expired (Erlang's <c>timeout</c>).</summary>
    protected internal virtual void OnTimeout() { }

    /// <summary>
    /// The port is asked to close while its queue holds data (Erlang's <c>flush</c>): keep
    /// writing; the port closes once the queue is empty (or the close times out).
    /// </summary>
    protected internal virtual void OnFlush() { }

    /// <summary>A child process watched by this port has exited and been reaped (Erlang's <c>process_exit</c>, for OS processes).</summary>
    protected internal virtual void OnProcessExit(ExitStatus status) { }

    /// <summary>Async work started with <see cref="DriverPort.Async"/> has finished (Erlang's <c>ready_async</c>).</summary>
    protected internal virtual void OnAsyncCompleted(object? key, Exception? error) { }
}

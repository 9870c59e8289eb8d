using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// The driver behind a port whose child is scripted: the spawn driver's behaviour (read and frame
/// the child's output, write its input straight or queued, half-close, report the exit once
/// reaped) over the child's in-memory pipes. Written on ReactivePorts' public driver API only,
/// as any user's driver is; the port around it is the production one.
/// </summary>
internal sealed class ScriptedChildDriver(ScriptedChild child) : PortDriver
{
    private SafeHandle? _stdout = child.PortReads;  // the port reads the child's output here
    private SafeHandle? _stdin = child.PortWrites;  // the port writes the child's input here

    public override string Name => "scripted";

    public override IPortProcess Process => child;

    protected override void OnStart()
    {
        Context.SetOsPid(child.Pid);
        // As the spawn driver's pidfd watcher: the exit is reported on the loop once reaped,
        // whatever the port's state by then.
        var loop = Context.Scheduler;
        var context = Context;
        child.WhenReaped(status => loop.Schedule(() => context.ReportExit(status)));
        if (_stdout is not null) Context.Select(_stdout, PollEvents.Readable);
        if (_stdin is not null)
        {
            Context.Select(_stdin, PollEvents.None);
            Context.EnableDirectWrites(_stdin);
        }
    }

    protected override void OnProcessExit(ExitStatus status)
    {
        // Nothing to read (an input-only port): the exit is its end of output, as with spawn.
        if (_stdout is null && child.PortReads is null) Context.DeliverEof();
    }

    protected override void OnReadable(SafeHandle handle)
    {
        var result = Context.IO.ReadAndDeliver(handle);
        if (result.Status is IOStatus.EndOfStream or IOStatus.Failed) EndOfOutput(reportEof: true);
    }

    private void EndOfOutput(bool reportEof)
    {
        if (_stdout is not { } stdout) return;
        _stdout = null;
        Context.Deselect(stdout);
        if (reportEof) Context.DeliverEof();
    }

    protected override void OnStopReading() => EndOfOutput(reportEof: false);

    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        if (_stdin is not { } stdin) return;
        var result = Context.IO.WriteOrQueue(stdin, data);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    protected override void OnWritable(SafeHandle handle)
    {
        if (_stdin is not { } stdin) return;
        var result = Context.IO.WriteQueue(stdin);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    private void WriteFailed(int errno)
    {
        // EPIPE: the child closed its input or died. Reading goes on; the exit status still comes.
        CloseInput();
        Context.ReportWriteError(errno);
    }

    protected override void OnInputEnd() => CloseInput();

    private void CloseInput()
    {
        if (_stdin is not { } stdin) return;
        _stdin = null;
        Context.DisableDirectWrites();
        Context.Deselect(stdin); // stop_select then closes it: the child reads end of file
    }

    protected override void OnStop()
    {
        // The port deselects (and so closes) the pipes; the child is not killed (Erlang's rule).
        _stdin = _stdout = null;
    }
}

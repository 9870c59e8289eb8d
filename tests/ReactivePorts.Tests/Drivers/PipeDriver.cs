using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>
/// A descriptor driver written against the public API only, as a user would write one: the output
/// comes from <c>source</c> (read with ReadAndDeliver), the input goes to <c>sink</c> (WriteOrQueue,
/// then WriteQueue when writable). Either may be null. It records every I/O result.
/// </summary>
internal sealed class PipeDriver(SafeHandle? source, SafeHandle? sink) : PortDriver
{
    private readonly ConcurrentQueue<string> _results = new();
    private readonly TaskCompletionSource _queueWouldBlock = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inputCalls;

    public override string Name => "pipe";

    /// <summary>Let writers on other threads write to the sink while the port is idle.</summary>
    public bool DirectOutput { get; init; }

    /// <summary>A failed write fails the port (FailErrno) instead of being reported (ReportWriteError).</summary>
    public bool FailOnWriteError { get; init; }

    /// <summary>"WriteOrQueue:Done:5", "WriteQueue:WouldBlock:0"… in order.</summary>
    public IReadOnlyList<string> Results => _results.ToArray();

    public int InputCalls => Volatile.Read(ref _inputCalls);

    /// <summary>Completes when a WriteQueue met a full descriptor (WouldBlock).</summary>
    public Task QueueWouldBlock => _queueWouldBlock.Task;

    /// <summary>The handle, for tests that act inside a callback of their own.</summary>
    public DriverContext Handle => Context;

    protected override void OnStart()
    {
        if (source is not null) Context.Select(source, PollEvents.Readable);
        if (sink is not null && DirectOutput) Context.EnableDirectWrites(sink);
    }

    protected override void OnReadable(SafeHandle handle)
    {
        var result = Context.IO.ReadAndDeliver(handle);
        switch (result.Status)
        {
            case IOStatus.EndOfStream:
                Context.Deselect(handle);
                Context.DeliverEof();
                break;
            case IOStatus.Failed:
                Context.FailErrno(result.Errno);
                break;
        }
    }

    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        Interlocked.Increment(ref _inputCalls);
        Check("WriteOrQueue", Context.IO.WriteOrQueue(sink!, data));
    }

    protected override void OnWritable(SafeHandle handle)
    {
        var result = Context.IO.WriteQueue(handle);
        Check("WriteQueue", result);
        if (result.Status == IOStatus.WouldBlock) _queueWouldBlock.TrySetResult();
    }

    /// <summary>Everything written: close the sink (through stop-select), so its reader sees end of file.</summary>
    protected override void OnInputEnd()
    {
        Context.DisableDirectWrites();
        Context.Select(sink!, PollEvents.None); // selected (if it was not) so that deselecting hands it to stop-select
        Context.Deselect(sink!);
    }

    private void Check(string call, IOResult result)
    {
        _results.Enqueue($"{call}:{result.Status}:{result.Bytes}");
        if (result.Status != IOStatus.Failed) return;
        if (FailOnWriteError) Context.FailErrno(result.Errno);
        else Context.ReportWriteError(result.Errno);
    }
}

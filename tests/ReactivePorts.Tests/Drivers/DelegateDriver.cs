using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ReactivePorts.Drivers;

namespace ReactivePorts.Tests.Drivers;

/// <summary>
/// A test driver whose callbacks are delegates, written against the public driver API only (its
/// overrides are <c>protected override</c>, as in any assembly). It logs
/// every callback, counts callbacks that ran off the loop thread (there must be none), and runs test
/// code inside a callback with <see cref="RunAsync{T}"/>.
/// </summary>
internal sealed class DelegateDriver : PortDriver
{
    /// <summary>The control operation that runs the closures queued by <see cref="RunAsync{T}"/>.</summary>
    public const int RunOperation = int.MinValue;

    private readonly ConcurrentQueue<Func<DriverContext, object?>> _runs = new();
    private readonly ConcurrentQueue<string> _log = new();
    private int _offLoop;

    public string DriverName { get; init; } = "delegate";

    public override string Name => DriverName;

    public bool AcknowledgesLater { get; init; }

    public override bool UsesStartAcknowledgement => AcknowledgesLater;

    public Action<DriverContext>? WhenStart { get; init; }
    public Action<DriverContext>? WhenStop { get; init; }
    public Action<DriverContext>? WhenTimeout { get; init; }
    public Action<DriverContext>? WhenFlush { get; init; }
    public Action<DriverContext>? WhenInputEnd { get; init; }
    public Action<DriverContext>? WhenStopReading { get; init; }
    public Action<DriverContext, ReadOnlyMemory<byte>>? WhenInput { get; init; }
    public Func<DriverContext, int, byte[], byte[]>? WhenControl { get; init; }
    public Func<DriverContext, int, byte[], byte[]>? WhenCall { get; init; }
    public Action<DriverContext, SafeHandle>? WhenReadable { get; init; }
    public Action<DriverContext, SafeHandle>? WhenWritable { get; init; }
    /// <summary>Replaces the default stop-select (which disposes the handle).</summary>
    public Action<DriverContext, SafeHandle>? WhenStopSelect { get; init; }
    public Action<DriverContext, object?, Exception?>? WhenAsyncCompleted { get; init; }
    public Action<DriverContext, ExitStatus>? WhenProcessExit { get; init; }

    /// <summary>Callbacks in the order they ran ("start", "input:5", "control:3"…).</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>Callbacks that ran on another thread than the port's loop (must stay 0).</summary>
    public int OffLoopCalls => Volatile.Read(ref _offLoop);

    /// <summary>Runs <paramref name="action"/> inside a driver callback (a control operation) on the port's loop.</summary>
    public async Task<T> RunAsync<T>(Port port, Func<DriverContext, T> action)
    {
        object? result = null;
        _runs.Enqueue(ctx => result = action(ctx));
        await port.ControlAsync(RunOperation, ReadOnlyMemory<byte>.Empty).WaitAsync(DriverTestKit.Timeout);
        return (T)result!;
    }

    /// <summary>Runs <paramref name="action"/> inside a driver callback on the port's loop.</summary>
    public Task RunAsync(Port port, Action<DriverContext> action) => RunAsync<bool>(port, ctx => { action(ctx); return true; });

    private void Note(string what)
    {
        if (!Context.Scheduler.IsLoopThread) Interlocked.Increment(ref _offLoop);
        _log.Enqueue(what);
    }

    protected override void OnStart() { Note("start"); WhenStart?.Invoke(Context); }

    protected override void OnStop() { Note("stop"); WhenStop?.Invoke(Context); }

    protected override void OnTimeout() { Note("timeout"); WhenTimeout?.Invoke(Context); }

    protected override void OnFlush() { Note("flush"); WhenFlush?.Invoke(Context); }

    protected override void OnInputEnd() { Note("input-end"); WhenInputEnd?.Invoke(Context); }

    protected override void OnStopReading() { Note("stop-reading"); WhenStopReading?.Invoke(Context); }

    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        Note($"input:{data.Length}");
        if (WhenInput is null) base.OnInput(data);
        else WhenInput(Context, data);
    }

    protected override byte[] OnControl(int operation, ReadOnlySpan<byte> data)
    {
        if (operation == RunOperation)
        {
            if (!Context.Scheduler.IsLoopThread) Interlocked.Increment(ref _offLoop);
            while (_runs.TryDequeue(out var run)) run(Context);
            return [];
        }
        Note($"control:{operation}");
        return WhenControl is null ? base.OnControl(operation, data) : WhenControl(Context, operation, data.ToArray());
    }

    protected override byte[] OnCall(int command, ReadOnlySpan<byte> data)
    {
        Note($"call:{command}");
        return WhenCall is null ? base.OnCall(command, data) : WhenCall(Context, command, data.ToArray());
    }

    protected override void OnReadable(SafeHandle handle) { Note("readable"); WhenReadable?.Invoke(Context, handle); }

    protected override void OnWritable(SafeHandle handle) { Note("writable"); WhenWritable?.Invoke(Context, handle); }

    protected override void OnStopSelect(SafeHandle handle)
    {
        Note("stop-select");
        if (WhenStopSelect is null) base.OnStopSelect(handle);
        else WhenStopSelect(Context, handle);
    }

    protected override void OnAsyncCompleted(object? key, Exception? error)
    {
        Note($"async-completed:{key}");
        WhenAsyncCompleted?.Invoke(Context, key, error);
    }

    protected override void OnProcessExit(ExitStatus status)
    {
        Note("process-exit");
        WhenProcessExit?.Invoke(Context, status);
    }
}

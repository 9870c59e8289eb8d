using Akka.Streams;
using Akka.Streams.Stage;
using ReactivePorts.Framing;

namespace ReactivePorts.Akka;

/// <summary>
/// One logic for the three port stages: the port is opened when the stage starts; the output side
/// (<c>PortStageLogic.Output.cs</c>) maps pulls onto the port's read demand, the input side
/// (<c>PortStageLogic.Input.cs</c>) pulls only after the port accepted the last element.
/// </summary>
internal sealed partial class PortStageLogic : GraphStageLogic
{
    private readonly Func<Port> _open;
    private readonly Inlet<ReadOnlyMemory<byte>>? _in;
    private readonly Outlet<Packet>? _out;
    private readonly bool _closesOnInputEnd;
    private readonly TaskCompletionSource<ExitStatus?> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Port? _port;

    public PortStageLogic(Shape shape, Func<Port> open, Inlet<ReadOnlyMemory<byte>>? inlet, Outlet<Packet>? outlet, bool closesOnInputEnd)
        : base(shape)
    {
        _open = open;
        _in = inlet;
        _out = outlet;
        _closesOnInputEnd = closesOnInputEnd;
        if (inlet is not null) SetHandler(inlet, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish, onUpstreamFailure: OnUpstreamFailure);
        if (outlet is not null) SetHandler(outlet, onPull: OnPull, onDownstreamFinish: OnDownstreamFinish);
    }

    /// <summary>The materialized value: the port's end, with its exit status where it has a process.</summary>
    public Task<ExitStatus?> Outcome => _outcome.Task;

    private Port Port => _port!;

    public override void PreStart()
    {
        try
        {
            _port = _open() ?? throw new InvalidOperationException("The port factory returned null.");
        }
        catch (Exception ex)
        {
            SetOutcome(ex);
            FailStage(ex);
            return;
        }
        _ = ForwardOutcomeAsync(_port);
        if (_out is not null)
        {
            StartOutput();
        }
        else
        {
            // A sink reads nothing, so only the port's completion tells it that the port has gone.
            var ended = GetAsyncCallback<Exception?>(error =>
            {
                if (error is null) CompleteStage();
                else FailStage(error);
            });
            _port.Completion.ContinueWith(static (t, state) => ((Action<Exception?>)state!)(t.Exception?.InnerException),
                ended, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (_in is not null)
        {
            // Held while the last write waits, so an upstream end never cuts off an element not yet accepted.
            if (_closesOnInputEnd) SetKeepGoing(true);
            Pull(_in);
        }
    }

    public override void PostStop()
    {
        // However the stage stopped (also when the materializer shut down), its port does not outlive
        // it. Closing twice is a no-op, so the ends above that closed or aborted it already stay as they were.
        _demand?.Dispose();
        _ = _port?.CloseAsync();
    }

    private async Task ForwardOutcomeAsync(Port port)
    {
        try
        {
            await port.Completion.ConfigureAwait(false);
            // A driver without a process has its exit faulted from the start: there is no status to wait for.
            ExitStatus? status = port.Exit.IsFaulted ? null : await port.Exit.ConfigureAwait(false);
            _outcome.TrySetResult(status);
        }
        catch (Exception ex)
        {
            SetOutcome(ex);
        }
    }

    private void SetOutcome(Exception error)
    {
        // Observed at once: a materialized value nobody looks at must not surface as an unobserved exception.
        if (_outcome.TrySetException(error)) _ = _outcome.Task.Exception;
    }

    /// <summary>Erlang's exit reason for an abort caused by <paramref name="error"/>.</summary>
    private static string AbortReason(string what, Exception error) => $"{what}: {error.GetType().Name}: {error.Message}";
}

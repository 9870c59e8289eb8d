using System.Collections.Concurrent;
using ReactivePorts.Framing;

namespace ReactivePorts.Akka;

/// <summary>The output side: a pull is a request for one packet; the port reads only while one is outstanding.</summary>
internal sealed partial class PortStageLogic
{
    // Filled on the port's loop thread, emptied on the stream's. Bounded by the demand: one packet per
    // pull, plus the rest of the one read under way when the demand ran out.
    private readonly ConcurrentQueue<Packet> _packets = new();
    private PortOutputDemand? _demand;
    private Action? _arrived;
    private int _signalled;
    private volatile bool _outputEnded;
    private Exception? _outputError;
    private bool _requested;

    private void StartOutput()
    {
        _arrived = GetAsyncCallback(OnArrived);
        _demand = Port.Output.SubscribeOnDemand(new OutputObserver(this));
    }

    private void OnPull()
    {
        if (TryPushQueued()) return;
        if (!_requested)
        {
            _requested = true;
            _demand!.Request(1);
        }
    }

    private void OnDownstreamFinish(Exception cause)
    {
        // Cancelled: the port closes (Erlang's close: what is queued is still written, then the pipes close).
        _ = Port.CloseAsync();
        CompleteStage();
    }

    /// <summary>Packets or the end arrived (stream thread; one callback per burst, not per packet).</summary>
    private void OnArrived()
    {
        // Cleared before draining: whatever arrives from here on signals again.
        Volatile.Write(ref _signalled, 0);
        if (IsAvailable(_out!)) TryPushQueued();
        else FinishIfDrained();
    }

    private bool TryPushQueued()
    {
        if (_packets.TryDequeue(out var packet))
        {
            _requested = false;
            Push(_out!, packet);
            FinishIfDrained();
            return true;
        }
        return FinishIfDrained();
    }

    private bool FinishIfDrained()
    {
        // The end is read before the queue: every packet was queued before the end was set.
        bool ended = _outputEnded;
        if (!ended || !_packets.IsEmpty) return false;
        if (_outputError is { } error) FailStage(error);
        else CompleteStage();
        return true;
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _arrived!();
    }

    /// <summary>Receives the port's packets on its loop thread: queues them and wakes the stage.</summary>
    private sealed class OutputObserver(PortStageLogic logic) : IObserver<Packet>
    {
        public void OnNext(Packet value)
        {
            // Pushed later, on the stream's thread: a zero-copy payload would be overwritten by then.
            if (logic.Port.IsZeroCopy) value = new Packet(value.Payload.ToArray(), value.Line);
            logic._packets.Enqueue(value);
            logic.Signal();
        }

        public void OnError(Exception error)
        {
            logic._outputError = error;
            logic._outputEnded = true;
            logic.Signal();
        }

        public void OnCompleted()
        {
            logic._outputEnded = true;
            logic.Signal();
        }
    }
}

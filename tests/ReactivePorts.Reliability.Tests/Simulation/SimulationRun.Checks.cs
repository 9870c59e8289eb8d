using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Reliability.Tests.Simulation;

// The invariants, checked against what the child really did (what its pipe took, what it read),
// decoded here independently of the library's decoders.
public sealed partial class SimulationRun
{
    private bool ChildReaped => _child.ExitStatus is not null && _s.ReapDelay is not null;

    /// <summary>After phase 1: a child that ended and was reaped leaves a closed port, a completed output and its status; a close asked for has ended.</summary>
    private void CheckNaturalEnd()
    {
        bool outputEnded = _outputCompleted || _outputError is not null;
        if (ChildReaped && !_stoppedEarly)
        {
            if (!outputEnded) _violations.Add($"hang: the child ended at {_child.ExitedAt} and was reaped, but the output had not ended by tick {_clock.Clock}");
            if (_port.State != PortState.Closed) _violations.Add($"hang: the child ended and was reaped, but the port is {_port.State} at tick {_clock.Clock}");
        }
        if (_close is not null && !_close.IsCompleted)
            _violations.Add($"hang: CloseAsync asked at {_closeAt} with a flush timeout of {_s.FlushTimeoutTicks} ticks had not completed by tick {_clock.Clock}");
    }

    private void Check()
    {
        CheckOutput();
        CheckExit();
        CheckInput();
        CheckResources();
        if (_maxQueueOver > 0) _violations.Add($"unbounded queue: {_maxQueueOver} bytes over the high mark plus the write that crossed it");
    }

    private void CheckOutput()
    {
        var written = _child.Written.SelectMany(w => w.Value).ToArray();
        var (expected, truncated) = Decode(written);
        // Every packet delivered is the next one the child wrote, intact and in order.
        int prefix = 0;
        while (prefix < Math.Min(expected.Count, _delivered.Count) && expected[prefix].AsSpan().SequenceEqual(_delivered[prefix])) prefix++;
        if (_s.FramingName == "stream")
        {
            var delivered = _delivered.SelectMany(p => p).ToArray();
            if (!written.AsSpan().StartsWith(delivered))
                _violations.Add($"output: {delivered.Length} bytes delivered are not a prefix of the {written.Length} the child wrote (first difference at {delivered.AsSpan().CommonPrefixLength(written)})");
            else if (!_stoppedEarly && _outputCompleted && delivered.Length != written.Length)
                _violations.Add($"lost bytes: the output completed after {delivered.Length} of the {written.Length} bytes the child wrote");
        }
        else if (prefix != _delivered.Count)
        {
            _violations.Add($"output: packet {prefix} delivered ({_delivered[prefix].Length} bytes) is not packet {prefix} the child wrote ({(prefix < expected.Count ? expected[prefix].Length.ToString() : "none")})");
        }
        else if (!_stoppedEarly && _outputCompleted && _delivered.Count != expected.Count)
        {
            _violations.Add($"lost packets: the output ended after {_delivered.Count} of the {expected.Count} packets the child wrote");
        }

        if (!_stoppedEarly && ChildReaped)
        {
            // A frame cut off by the end is reported (README: PortTruncatedFrame, before the exit status), then the port ends as usual.
            if (truncated && _truncated is null)
                _violations.Add("the child's output ended inside a frame, but no PortTruncatedFrame was reported");
            if (truncated && _truncatedAfterExit)
                _violations.Add("PortTruncatedFrame came after the exit status");
            if (!truncated && _truncated is not null)
                _violations.Add($"{_truncated} reported, but the child's output ended on a frame boundary");
            if (_outputError is not null)
                _violations.Add($"the output failed: {_outputError.GetType().Name}: {_outputError.Message}");
            long total = _delivered.Sum(p => (long)p.Length);
            if (_bytesAtExit != total)
                _violations.Add($"order: {_bytesAtExit} of the {total} bytes delivered had come when the exit status came");
        }
    }

    private void CheckExit()
    {
        if (ChildReaped)
        {
            if (!_port.Exit.IsCompleted)
                _violations.Add($"zombie: the child ended ({_child.ExitStatus}) and was reaped, but the port never reported its status");
            else if (_port.Exit.IsCompletedSuccessfully && _port.Exit.Result != _child.ExitStatus)
                _violations.Add($"exit status: the port reported {_port.Exit.Result}, the child ended with {_child.ExitStatus}");
        }
        else if (_port.Exit.IsCompletedSuccessfully)
        {
            _violations.Add($"exit status {_port.Exit.Result} reported for a child that was {(_child.IsRunning ? "still running" : "never reaped")}");
        }
        if (_close is { IsCompleted: false }) _violations.Add($"hang: the close asked at {_closeAt} never completed");
        if (_port.State != PortState.Closed) _violations.Add($"hang: the port is {_port.State} after it was closed");
        if (!_outputCompleted && _outputError is null && !_stoppedEarly && _s.Subscriber != SubscriberKind.DisposesMidStream)
            _violations.Add("hang: the output never ended although the port closed");
    }

    private void CheckInput()
    {
        var received = _child.ReceivedBytes;
        var accepted = _accepted.ToArray();
        if (!accepted.AsSpan().StartsWith(received))
        {
            _violations.Add($"input: the {received.Length} bytes the child read are not a prefix of the {accepted.Length} accepted (first difference at {received.AsSpan().CommonPrefixLength(accepted)})");
            return;
        }
        bool mustHaveAll = _child.IsRunning && !_s.NeverReads && !_writeFailed && _close is { IsCompletedSuccessfully: true } && _child.InputEndedAt is not null;
        if (mustHaveAll && received.Length != accepted.Length - _close!.Result)
            _violations.Add($"lost input: the child read {received.Length} of {accepted.Length} accepted bytes; the close reported {_close.Result} dropped");
        if (_child.IsRunning && !_s.NeverReads && _close is { IsCompletedSuccessfully: true } && _child.InputEndedAt is null)
            _violations.Add("the child never read end of file on its input after the port closed");
    }

    private void CheckResources()
    {
        if (_child.PortReads is { IsClosed: false }) _violations.Add("fd leak: the port's end of the child's stdout is still open");
        if (_child.PortWrites is { IsClosed: false }) _violations.Add("fd leak: the port's end of the child's stdin is still open");
        int watched = VirtualTime.BackendOf(_world.Scheduler)!.WatchedCount;
        if (watched != 0) _violations.Add($"fd leak: the loop still watches {watched} descriptors after the port closed");
    }

    /// <summary>The packets in what the child wrote, decoded by the scenario's framing rules, and whether it ended inside a frame.</summary>
    private (List<byte[]> Packets, bool Truncated) Decode(byte[] bytes)
    {
        var packets = new List<byte[]>();
        switch (_s.FramingName)
        {
            case "stream":
                return (packets, false);
            case "line":
                int start = 0;
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] != (byte)'\n') continue;
                    packets.Add(bytes[start..i]);
                    start = i + 1;
                }
                if (start < bytes.Length) packets.Add(bytes[start..]); // a last line without its end is delivered as is
                return (packets, false);
            default:
                int header = _s.Framing.HeaderSize, at = 0;
                while (bytes.Length - at >= header)
                {
                    int length = 0;
                    for (int i = 0; i < header; i++) length = (length << 8) | bytes[at + i];
                    if (bytes.Length - at - header < length) return (packets, true);
                    packets.Add(bytes[(at + header)..(at + header + length)]);
                    at += header + length;
                }
                return (packets, at != bytes.Length);
        }
    }
}

using ReactivePorts.Framing;

namespace ReactivePorts.Testing.Virtual;

// The child's ends of its pipes: writes that block on a full pipe, reads at the script's pace.
public sealed partial class ScriptedChild : IPacketSink
{
    private readonly Queue<PendingWrite> _outgoing = new();
    private readonly List<Recorded<byte[]>> _received = new();
    private readonly List<Recorded<byte[]>> _written = new();
    private readonly FrameDecoder? _decoder;
    private bool _outputClosed;
    private bool _inputClosed;
    private bool _readScheduled;
    private long _nextRead;
    private long _flushAt = -1;

    private sealed class PendingWrite(byte[] data, long notBefore)
    {
        public byte[] Data { get; } = data;

        public int Offset { get; set; }

        public long NotBefore { get; } = notBefore;
    }

    /// <summary>Every chunk it read from its standard input, with the tick it read it.</summary>
    public IReadOnlyList<Recorded<byte[]>> Received => _received;

    /// <summary>All the bytes it read, in order.</summary>
    public byte[] ReceivedBytes => [.. _received.SelectMany(r => r.Value)];

    /// <summary>Every piece its standard output took, with the tick it took it.</summary>
    public IReadOnlyList<Recorded<byte[]>> Written => _written;

    /// <summary>The tick it read end of file on its standard input, if it has.</summary>
    public long? InputEndedAt { get; private set; }

    /// <summary>Bytes written by the child and not yet taken by its full pipe (the child is blocked meanwhile).</summary>
    public int PendingOutput => _outgoing.Sum(w => w.Data.Length - w.Offset);

    /// <summary>Whether a write is waiting for room in the pipe (its steps wait too).</summary>
    private bool IsBlocked => _outgoing.Count > 0;

    /// <summary>Writes <paramref name="data"/> to standard output (split as its script says); what the pipe cannot take yet waits, in order.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!IsRunning || _outputClosed || data.IsEmpty) return;
        if (_stdout is null) return; // an input-only port: the output goes to /dev/null
        var sizes = _script.WriteSizes;
        long at = _clock.Clock;
        int offset = 0;
        for (int piece = 0; offset < data.Length; piece++)
        {
            int size = sizes.IsEmpty ? data.Length : sizes[piece % sizes.Length];
            int n = Math.Min(size, data.Length - offset);
            _outgoing.Enqueue(new PendingWrite(data.Slice(offset, n).ToArray(), at + piece * _script.WriteGap));
            offset += n;
        }
        Flush();
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to standard output.</summary>
    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Closes standard output: the port reads what is left, then end of file.</summary>
    public void CloseOutput()
    {
        if (_outputClosed) return;
        _outputClosed = true;
        _stdout?.Writer.Dispose();
    }

    /// <summary>Closes standard input: the port's writes fail with EPIPE from then on.</summary>
    public void CloseInput()
    {
        if (_inputClosed) return;
        _inputClosed = true;
        _stdin?.Reader.Dispose();
    }

    private void DropOutput() => _outgoing.Clear();

    private void Flush()
    {
        while (IsRunning && !_outputClosed && _outgoing.TryPeek(out var head))
        {
            if (head.NotBefore > _clock.Clock)
            {
                if (_flushAt != head.NotBefore)
                {
                    _flushAt = head.NotBefore;
                    At(head.NotBefore, Flush);
                }
                return;
            }
            int n = _stdout!.Write(head.Data.AsSpan(head.Offset));
            if (n == -Fault.EAGAIN) return; // full: the port's next read brings it back here
            if (n < 0)
            {
                Die(SigPipe); // EPIPE: the port closed its end, and a child that writes dies of it
                return;
            }
            _written.Add(new Recorded<byte[]>(_clock.Clock, head.Data.AsSpan(head.Offset, n).ToArray()));
            head.Offset += n;
            if (head.Offset == head.Data.Length) _outgoing.Dequeue();
        }
        if (!IsBlocked) RunSteps();
    }

    /// <summary>The port read (room in the pipe) or closed its end: a blocked write goes on at the next tick.</summary>
    private void OutputChanged()
    {
        if (IsRunning && IsBlocked) At(_clock.Clock + 1, Flush);
    }

    /// <summary>The port wrote or closed its end: the child reads at the next tick its pace allows.</summary>
    private void InputChanged()
    {
        if (!IsRunning || !_script.Reads || _inputClosed || _readScheduled) return;
        _readScheduled = true;
        At(Math.Max(_clock.Clock + 1, _nextRead), ReadInput);
    }

    private void ReadInput()
    {
        _readScheduled = false;
        if (!IsRunning || _inputClosed || _stdin is null || InputEndedAt is not null) return;
        var buffer = new byte[_script.ReadSize ?? _script.PipeCapacity];
        _nextRead = _clock.Clock + _script.ReadInterval;
        int n = _stdin.Read(buffer);
        if (n > 0)
        {
            var chunk = buffer.AsMemory(0, n);
            _received.Add(new Recorded<byte[]>(_clock.Clock, chunk.ToArray()));
            if (_decoder is not null) _decoder.Decode(chunk, ChunkOwnership.Borrowed, this);
            else _script.InputReaction?.Invoke(this, chunk);
            // More to read (a slow reader's rest): the next read at its pace.
            if (_stdin.Available > 0 || _stdin.IsWriterClosed) InputChanged();
        }
        else if (n == 0)
        {
            InputEndedAt = _clock.Clock;
            _script.InputEndReaction?.Invoke(this);
        }
    }

    void IPacketSink.OnPacket(Packet packet)
    {
        if (IsRunning) _script.InputReaction?.Invoke(this, packet.Payload);
    }
}

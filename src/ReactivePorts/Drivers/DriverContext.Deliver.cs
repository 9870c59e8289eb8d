using ReactivePorts.Framing;

namespace ReactivePorts.Drivers;

// Output: what the driver delivers (framed data, whole packets, standard error, eof) on its way to
// the port's subscribers, held until the first one subscribes.
public sealed partial class DriverContext
{
    /// <summary>Delivers one packet as is, copying it (Erlang's <c>driver_output</c>).</summary>
    public void DeliverPacket(ReadOnlySpan<byte> packet) => Deliver(new Packet(packet.ToArray()));

    /// <summary>
    /// Delivers bytes read from the outside, decoded with the port's framing into packets
    /// (zero or more). <paramref name="ownership"/> says whether the port may keep
    /// <paramref name="chunk"/> without copying (<see cref="ChunkOwnership.Donated"/>).
    /// </summary>
    public void DeliverData(ReadOnlyMemory<byte> chunk, ChunkOwnership ownership)
    {
        if (_ended || _eofDelivered) return;
        if (_options.ZeroCopy && ownership == ChunkOwnership.Borrowed) ownership = ChunkOwnership.Transient;
        // Marked once per chunk, not per packet (a thread-static costs a TLS lookup).
        var previous = t_delivering;
        t_delivering = this;
        try
        {
            _decoder.Decode(chunk, ownership, this);
        }
        catch (FramingException ex)
        {
            // The stream cannot be framed any further (a header over the maximum size, say): the
            // port fails at once with it, and nothing follows. The pipes close, so the child sees
            // EOF/EPIPE instead of blocking, and it is never waited for (nor killed, unless asked).
            Finish(ex);
        }
        finally
        {
            t_delivering = previous;
        }
    }

    /// <summary>
    /// The missing bytes of a frame being assembled across reads (see
    /// <see cref="FrameDecoder.GetAssemblySpace"/>): a driver may read straight into them and then
    /// <see cref="CommitAssembly"/>, so a large packet is not read into a buffer and copied. Empty
    /// when no frame is being assembled or the port no longer takes data (loop thread).
    /// </summary>
    internal Memory<byte> AssemblySpace =>
        _ended || _eofDelivered ? Memory<byte>.Empty : _decoder.GetAssemblySpace();

    /// <summary>Takes <paramref name="count"/> bytes read into <see cref="AssemblySpace"/> as the next input, as <see cref="DeliverData"/> would (loop thread).</summary>
    internal void CommitAssembly(int count, ChunkOwnership ownership)
    {
        if (_options.ZeroCopy && ownership == ChunkOwnership.Borrowed) ownership = ChunkOwnership.Transient;
        var previous = t_delivering;
        t_delivering = this;
        try
        {
            _decoder.CommitAssembly(count, ownership, this);
        }
        finally
        {
            t_delivering = previous;
        }
    }

    void IPacketSink.OnPacket(Packet packet)
    {
        // From the decoder, inside DeliverData or DeliverEof, which mark the thread as delivering.
        if (_ended) return;
        _bytesRead += packet.Length;
        _packetsRead++;
        if (!_inputStarted)
        {
            Hold(packet);
            return;
        }
        _sink.OnPacket(packet);
    }

    // Packets a driver delivered before the output's first subscriber (from its start, a timer, async
    // work): held, copied, until it subscribes, as eof is, so nothing is lost before it. Reading
    // from descriptors waits for the subscriber anyway, so the hot path never comes here.
    private List<Packet>? _held;

    private void Hold(Packet packet) => (_held ??= new()).Add(new Packet(packet.Payload.ToArray(), packet.Line));

    /// <summary>Delivers the held packets to the first subscriber, in order (loop thread).</summary>
    private void ReleaseHeld()
    {
        if (_held is not { } held) return;
        _held = null;
        var previous = t_delivering;
        t_delivering = this;
        try
        {
            foreach (var packet in held)
            {
                if (_ended) break;
                _sink.OnPacket(packet);
            }
        }
        finally
        {
            t_delivering = previous;
        }
    }

    /// <summary>The port whose packets are being delivered on this thread, if any (so a sink written to from <c>OnNext</c> can pause its source).</summary>
    [ThreadStatic] private static DriverContext? t_delivering;

    internal static DriverContext? Delivering => t_delivering;

    private void Deliver(Packet packet)
    {
        if (_ended || _eofDelivered) return;
        _bytesRead += packet.Length;
        _packetsRead++;
        if (!_inputStarted)
        {
            Hold(packet);
            return;
        }
        var previous = t_delivering;
        t_delivering = this;
        try
        {
            _sink.OnPacket(packet);
        }
        finally
        {
            t_delivering = previous;
        }
    }

    /// <summary>Delivers bytes the child wrote to its standard error, when the port captures it apart (copied or donated by the caller).</summary>
    public void DeliverStandardError(ReadOnlyMemory<byte> chunk)
    {
        if (_ended) return;
        _sink.OnStandardError(chunk);
    }

    /// <summary>
    /// End of output (Erlang's eof): the unterminated last line is delivered, a frame cut off by the
    /// end is reported (<see cref="IPortSink.OnTruncatedFrame"/>), and the port ends as Erlang's does:
    /// after the exit status when it has one; in eof mode the eof event follows and the port stays open.
    /// </summary>
    public void DeliverEof()
    {
        if (_ended || _eofDelivered) return;
        if (!_inputStarted && _options.HasOutput)
        {
            // Nobody has subscribed yet: hold eof, and the exit and completion behind it, until the
            // first subscriber, so nothing is lost before it.
            _eofDeferred = true;
            return;
        }
        _eofDelivered = true;
        var previous = t_delivering;
        t_delivering = this;
        try
        {
            _decoder.Complete(this);
        }
        catch (TruncatedFrameException ex)
        {
            // Unlike Erlang, which drops it silently: said where it happens, in order, and the port
            // then ends exactly as it would have without it.
            _sink.OnTruncatedFrame(ex);
        }
        catch (FramingException ex)
        {
            Finish(ex);
            return;
        }
        finally
        {
            t_delivering = previous;
        }
        TryFinish();
    }
}

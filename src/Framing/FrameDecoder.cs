using System.Buffers;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>
/// The state of decoding one input stream with a <see cref="FrameFormat"/>. Accepts any split of
/// the input: one byte at a time, many frames per chunk, or a frame far larger than a chunk.
/// </summary>
/// <remarks>
/// <para>A decoder is single-threaded: call it from one thread at a time, and not from inside its own sink.</para>
/// <para>
/// Errors fault the decoder. After a <see cref="FramingException"/>, every later call throws an
/// <see cref="InvalidOperationException"/> whose <see cref="Exception.InnerException"/> is that
/// exception. If a sink throws out of <see cref="Decode(ReadOnlyMemory{byte}, ChunkOwnership, IPacketSink)"/>,
/// the rest of that chunk is lost, so later calls throw <see cref="InvalidOperationException"/> too.
/// </para>
/// <para>After a successful <see cref="Complete"/> the decoder is reset and may decode a new stream.</para>
/// </remarks>
public abstract class FrameDecoder
{
    private State _state;
    private Exception? _fault;

    private protected FrameDecoder()
    {
    }

    private enum State : byte
    {
        Idle,
        Busy,
        Faulted,
    }

    /// <summary>The number of bytes held for an incomplete frame or line.</summary>
    public abstract long BufferedBytes { get; }

    /// <summary>Decodes one chunk, calling <paramref name="sink"/> once per packet completed by it.</summary>
    /// <param name="chunk">The next bytes of the input (may be empty).</param>
    /// <param name="ownership">Whether delivered payloads must be copies, may be kept slices, or are transient slices.</param>
    /// <param name="sink">Receives the packets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ownership"/> is not a defined value.</exception>
    /// <exception cref="PacketTooLargeException">A header announces a packet over the maximum packet size.</exception>
    /// <exception cref="InvalidOperationException">The decoder is faulted (see remarks) or was re-entered.</exception>
    public abstract void Decode(ReadOnlyMemory<byte> chunk, ChunkOwnership ownership, IPacketSink sink);

    /// <summary>Decodes every segment of <paramref name="chunks"/> in order, as consecutive chunks.</summary>
    /// <param name="chunks">The next bytes of the input.</param>
    /// <param name="ownership">Applies to every segment.</param>
    /// <param name="sink">Receives the packets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ownership"/> is not a defined value.</exception>
    /// <exception cref="PacketTooLargeException">A header announces a packet over the maximum packet size.</exception>
    /// <exception cref="InvalidOperationException">The decoder is faulted or was re-entered.</exception>
    public void Decode(in ReadOnlySequence<byte> chunks, ChunkOwnership ownership, IPacketSink sink)
    {
        if (chunks.IsSingleSegment)
        {
            Decode(chunks.First, ownership, sink);
            return;
        }

        foreach (var segment in chunks)
        {
            Decode(segment, ownership, sink);
        }
    }

    /// <summary>
    /// The missing bytes of a frame being assembled across chunks, as writable memory: a reader may
    /// read the next bytes of the input straight into it and then <see cref="CommitAssembly"/> them,
    /// instead of reading into a chunk the decoder copies from (the frame's bytes then cross memory
    /// once, from the kernel into the packet). Empty when no frame is being assembled, or when the
    /// format does not assemble frames of a known size (only length-prefixed formats do).
    /// </summary>
    /// <remarks>Valid until the next call on the decoder.</remarks>
    public virtual Memory<byte> GetAssemblySpace() => Memory<byte>.Empty;

    /// <summary>
    /// Takes the first <paramref name="count"/> bytes of <see cref="GetAssemblySpace"/> as the next
    /// bytes of the input, as <see cref="Decode(ReadOnlyMemory{byte}, ChunkOwnership, IPacketSink)"/>
    /// would; delivers the frame to <paramref name="sink"/> once it is complete.
    /// </summary>
    /// <param name="count">How many bytes were written at the start of the assembly space.</param>
    /// <param name="ownership">How the frame is delivered when complete, as for <c>Decode</c>.</param>
    /// <param name="sink">Receives the frame, if this completes it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or larger than the assembly space, or <paramref name="ownership"/> is not a defined value.</exception>
    /// <exception cref="InvalidOperationException">The decoder is faulted or was re-entered.</exception>
    public void CommitAssembly(int count, ChunkOwnership ownership, IPacketSink sink)
    {
        Enter(sink, ownership);
        if ((uint)count > (uint)GetAssemblySpace().Length)
        {
            Exit();
            ThrowHelper.ThrowAssemblyCountOutOfRange(count, GetAssemblySpace().Length);
        }

        if (count > 0)
        {
            OnAssembled(count, ownership, sink);
        }

        Exit();
    }

    /// <summary>Adds <paramref name="count"/> bytes written into the assembly space (at least one, at most all of it) to the frame.</summary>
    private protected virtual void OnAssembled(int count, ChunkOwnership ownership, IPacketSink sink)
    {
    }

    /// <summary>
    /// Signals the end of input: delivers an unterminated line tail as a <see cref="LineEnding.NoEol"/>
    /// piece and reports a frame the input ended inside, then resets the decoder.
    /// </summary>
    /// <param name="sink">Receives a final line piece, if any. Payloads delivered here are always owned by the receiver.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="TruncatedFrameException">
    /// The input ended inside a length header or payload, and the format's
    /// <see cref="FrameFormat.TruncatedFrames"/> is <see cref="TruncatedFrameHandling.Throw"/>.
    /// </exception>
    /// <exception cref="InvalidOperationException">The decoder is faulted or was re-entered.</exception>
    public abstract void Complete(IPacketSink sink);

    /// <summary>Marks the start of a call; throws if the arguments are bad or the decoder is not idle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void Enter(IPacketSink sink, ChunkOwnership ownership)
    {
        // One combined test keeps the common case to a single branch.
        if (_state != State.Idle || sink is null || (uint)ownership > (uint)ChunkOwnership.Transient)
        {
            ThrowEnterFailure(sink, ownership);
        }

        _state = State.Busy;
    }

    /// <summary>Marks the normal end of a call. A call that throws never gets here, which leaves the decoder busy, hence unusable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void Exit() => _state = State.Idle;

    /// <summary>Faults the decoder with <paramref name="error"/> and returns it for the caller to throw.</summary>
    private protected Exception Fault(Exception error)
    {
        _state = State.Faulted;
        _fault = error;
        return error;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowEnterFailure(IPacketSink? sink, ChunkOwnership ownership)
    {
        if (sink is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(sink));
        }

        if ((uint)ownership > (uint)ChunkOwnership.Transient)
        {
            ThrowHelper.ThrowOwnershipOutOfRange(ownership);
        }

        if (_state == State.Faulted)
        {
            ThrowHelper.ThrowDecoderFaulted(_fault!);
        }

        ThrowHelper.ThrowDecoderBusy();
    }
}

namespace ReactivePorts.Framing;

/// <summary>The input ended inside a frame: inside its length header or before its whole payload arrived.</summary>
public sealed class TruncatedFrameException : FramingException
{
    internal TruncatedFrameException(long expectedBytes, long receivedBytes, bool inHeader)
        : base(inHeader
            ? $"The input ended inside a frame header: received {receivedBytes} of {expectedBytes} header bytes."
            : $"The input ended inside a frame: its header announced {expectedBytes} payload bytes but only {receivedBytes} arrived.")
    {
        ExpectedBytes = expectedBytes;
        ReceivedBytes = receivedBytes;
        IsInHeader = inHeader;
    }

    /// <summary>
    /// The payload size the frame's header announced; or, when <see cref="IsInHeader"/> is true,
    /// the header size.
    /// </summary>
    public long ExpectedBytes { get; }

    /// <summary>How many of <see cref="ExpectedBytes"/> arrived before the end of input.</summary>
    public long ReceivedBytes { get; }

    /// <summary>True when the input ended inside the length header itself.</summary>
    public bool IsInHeader { get; }
}

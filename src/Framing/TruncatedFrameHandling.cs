namespace ReactivePorts.Framing;

/// <summary>What <see cref="FrameDecoder.Complete"/> does with a frame the input ended inside.</summary>
public enum TruncatedFrameHandling
{
    /// <summary>Throw a <see cref="TruncatedFrameException"/> (the default: data is never dropped silently).</summary>
    Throw = 0,

    /// <summary>Drop the partial frame without an error.</summary>
    Discard = 1,
}

namespace ReactivePorts.Framing;

/// <summary>
/// A length header announced a packet larger than the decoder's maximum packet size. Raised when
/// the header is read, before anything is allocated for the packet.
/// </summary>
public sealed class PacketTooLargeException : FramingException
{
    internal PacketTooLargeException(long announcedSize, long limit)
        : base($"A frame header announces a packet of {announcedSize} bytes, over the maximum packet size of {limit} bytes.")
    {
        AnnouncedSize = announcedSize;
        Limit = limit;
    }

    /// <summary>The payload size the header announced, in bytes (an unsigned 32-bit value).</summary>
    public long AnnouncedSize { get; }

    /// <summary>The maximum packet size in force, in bytes.</summary>
    public long Limit { get; }
}

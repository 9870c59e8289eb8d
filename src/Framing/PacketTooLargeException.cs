namespace ReactivePorts.Framing;

/// <summary>
/// A packet larger than the framing allows: an incoming length header announced more than the
/// maximum packet size (raised when the header is read, before anything is allocated for the
/// packet), or a payload being written does not fit the length header or the maximum size.
/// </summary>
public sealed class PacketTooLargeException : FramingException
{
    internal PacketTooLargeException(long announcedSize, long limit)
        : this(announcedSize, limit, $"A frame header announces a packet of {announcedSize} bytes, over the maximum packet size of {limit} bytes.")
    {
    }

    private PacketTooLargeException(long size, long limit, string message)
        : base(message)
    {
        AnnouncedSize = size;
        Limit = limit;
    }

    /// <summary>A payload to be written that <paramref name="format"/> cannot frame.</summary>
    internal static PacketTooLargeException ForPayload(long size, long limit, FrameFormat format) =>
        new(size, limit, $"A payload of {size} bytes is over the limit of {limit} bytes for {format}.");

    /// <summary>The packet's size in bytes: what an incoming header announced (an unsigned 32-bit value), or the size of the payload being written.</summary>
    public long AnnouncedSize { get; }

    /// <summary>The maximum packet size in force, in bytes.</summary>
    public long Limit { get; }
}

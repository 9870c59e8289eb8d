namespace ReactivePorts.Framing;

/// <summary>A text line grew past the cap given to <see cref="FramingObservable.ToLines(IObservable{Packet}, int, LineOverflow)"/>.</summary>
public sealed class LineTooLongException : FramingException
{
    internal LineTooLongException(long limit)
        : base($"A line exceeds the maximum line length of {limit} bytes.")
    {
        Limit = limit;
    }

    /// <summary>The cap in force, in UTF-8 bytes (line terminator excluded).</summary>
    public long Limit { get; }
}

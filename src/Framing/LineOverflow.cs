namespace ReactivePorts.Framing;

/// <summary>
/// What <see cref="FramingObservable.ToLines(IObservable{Packet}, int, LineOverflow)"/> does with a
/// line longer than its cap.
/// </summary>
public enum LineOverflow
{
    /// <summary>End the sequence with a <see cref="LineTooLongException"/>.</summary>
    Throw = 0,

    /// <summary>
    /// Keep the line's first bytes up to the cap (cut at a character boundary), drop the rest of
    /// that line, and go on with the next line.
    /// </summary>
    Truncate = 1,
}

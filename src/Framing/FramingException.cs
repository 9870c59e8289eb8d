namespace ReactivePorts.Framing;

/// <summary>
/// The input does not follow its framing: a header announces a packet over the limit, the input
/// ends inside a frame, or a line exceeds its cap. The subclasses say which.
/// </summary>
/// <remarks>Constructors are internal: the hierarchy is closed, so a <c>catch</c> can rely on it.</remarks>
public class FramingException : Exception
{
    internal FramingException(string message)
        : base(message)
    {
    }

    internal FramingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

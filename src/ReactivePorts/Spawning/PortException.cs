namespace ReactivePorts;

/// <summary>The base of every error ReactivePorts raises about a port (other than argument errors).</summary>
/// <remarks>Catch this to handle any port failure; pattern-match the sealed subclasses for details.</remarks>
public abstract class PortException : Exception
{
    /// <summary>Creates the exception with a message and an optional cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    private protected PortException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

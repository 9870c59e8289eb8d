namespace ReactivePorts.Testing;

/// <summary>
/// The exception thrown by <see cref="ReactiveAssert"/> when an assertion fails. Its message
/// gives the expected and the actual outcome.
/// </summary>
/// <remarks>
/// It derives from <see cref="Exception"/> directly, so a failed assertion is never mistaken
/// for an expected <see cref="InvalidOperationException"/> or similar by code that catches
/// those. Test frameworks that recognise assertion failures by an interface named
/// <c>IAssertionException</c> (xUnit.net v3) report it as an assertion failure.
/// It is internal because Microsoft.Reactive.Testing's failure exceptions (xUnit's, compiled
/// in as internal types) are not part of its public API either.
/// </remarks>
internal sealed class ReactiveAssertionException : Exception, IAssertionException
{
    /// <summary>
    /// Creates an assertion failure with a default message.
    /// </summary>
    public ReactiveAssertionException()
        : base("Assertion failed.")
    {
    }

    /// <summary>
    /// Creates an assertion failure with <paramref name="message"/>.
    /// </summary>
    /// <param name="message">What was expected and what happened instead.</param>
    public ReactiveAssertionException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Creates an assertion failure with <paramref name="message"/>, caused by <paramref name="innerException"/>.
    /// </summary>
    /// <param name="message">What was expected and what happened instead.</param>
    /// <param name="innerException">The exception that made the assertion fail, if any.</param>
    public ReactiveAssertionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

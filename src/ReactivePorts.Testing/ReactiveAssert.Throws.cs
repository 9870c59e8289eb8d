namespace ReactivePorts.Testing;

public static partial class ReactiveAssert
{
    /// <summary>
    /// Asserts that <paramref name="action"/> throws <typeparamref name="TException"/> or an
    /// exception derived from it.
    /// </summary>
    /// <typeparam name="TException">The expected exception type.</typeparam>
    /// <param name="action">The code expected to throw.</param>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">
    /// Nothing was thrown, or an exception of another type was (it becomes the inner exception).
    /// </exception>
    public static void Throws<TException>(Action action)
        where TException : Exception =>
        ThrowsCore<TException>(expected: null, action, sameInstance: false, message: null);

    /// <summary>
    /// Asserts that <paramref name="action"/> throws <typeparamref name="TException"/> or an
    /// exception derived from it.
    /// </summary>
    /// <typeparam name="TException">The expected exception type.</typeparam>
    /// <param name="action">The code expected to throw.</param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">
    /// Nothing was thrown, or an exception of another type was (it becomes the inner exception).
    /// </exception>
    public static void Throws<TException>(Action action, string message)
        where TException : Exception =>
        ThrowsCore<TException>(expected: null, action, sameInstance: false, message);

    /// <summary>
    /// Asserts that <paramref name="action"/> throws <paramref name="exception"/> itself (the
    /// same instance), as when a test injects an error and checks it comes back unchanged.
    /// </summary>
    /// <typeparam name="TException">The type of the expected exception.</typeparam>
    /// <param name="exception">
    /// The exception instance expected to be thrown. Null is not rejected, as in
    /// Microsoft.Reactive.Testing; the assertion then always fails.
    /// </param>
    /// <param name="action">The code expected to throw.</param>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">
    /// Nothing was thrown, or another exception was (it becomes the inner exception).
    /// </exception>
    public static void Throws<TException>(TException exception, Action action)
        where TException : Exception =>
        ThrowsCore(exception, action, sameInstance: true, message: null);

    /// <summary>
    /// Asserts that <paramref name="action"/> throws <paramref name="exception"/> itself (the
    /// same instance).
    /// </summary>
    /// <typeparam name="TException">The type of the expected exception.</typeparam>
    /// <param name="exception">
    /// The exception instance expected to be thrown. Null is not rejected, as in
    /// Microsoft.Reactive.Testing; the assertion then always fails.
    /// </param>
    /// <param name="action">The code expected to throw.</param>
    /// <param name="message">Message to put first in the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ReactiveAssertionException">
    /// Nothing was thrown, or another exception was (it becomes the inner exception).
    /// </exception>
    public static void Throws<TException>(TException exception, Action action, string message)
        where TException : Exception =>
        ThrowsCore(exception, action, sameInstance: true, message);

    // A null expected instance is not an argument error (Microsoft.Reactive.Testing does not
    // check it): nothing thrown is that instance, so the assertion fails.
    private static void ThrowsCore<TException>(TException? expected, Action action, bool sameInstance, string? message)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(action);

        try
        {
            action();
        }
        catch (TException ex)
        {
            if (!sameInstance || ReferenceEquals(expected, ex))
            {
                return;
            }

            throw new ReactiveAssertionException(FailureMessage.ForWrongInstance(expected, ex, message), ex);
        }
        catch (Exception ex)
        {
            throw new ReactiveAssertionException(FailureMessage.ForWrongType(typeof(TException), ex, message), ex);
        }

        throw new ReactiveAssertionException(FailureMessage.ForNothingThrown(typeof(TException), message));
    }
}

using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// Observer that records every notification it receives, with the virtual time of arrival.
/// </summary>
/// <typeparam name="T">The element type of the observed sequence.</typeparam>
public interface ITestableObserver<T> : IObserver<T>
{
    /// <summary>
    /// Gets the notifications received so far, in arrival order, each with its virtual time.
    /// </summary>
    IList<Recorded<Notification<T>>> Messages { get; }
}

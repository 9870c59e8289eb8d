using System.Reactive;

namespace ReactivePorts.Testing;

/// <summary>
/// Observer that records each notification with the scheduler's clock at arrival.
/// </summary>
/// <remarks>
/// <see cref="Messages"/> is the live, writable list (tests may clear it between phases), as in
/// Microsoft.Reactive.Testing. Like the scheduler, the observer is not thread-safe.
/// </remarks>
internal sealed class MockObserver<T>(TestScheduler scheduler) : ITestableObserver<T>
{
    private readonly List<Recorded<Notification<T>>> _messages = [];

    public IList<Recorded<Notification<T>>> Messages => _messages;

    public void OnNext(T value) => Record(Notification.CreateOnNext(value));

    public void OnError(Exception error) => Record(Notification.CreateOnError<T>(error));

    public void OnCompleted() => Record(Notification.CreateOnCompleted<T>());

    private void Record(Notification<T> notification) =>
        _messages.Add(new Recorded<Notification<T>>(scheduler.Clock, notification));
}

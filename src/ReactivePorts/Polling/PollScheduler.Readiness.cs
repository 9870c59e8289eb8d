using System.Reactive.Linq;
using System.Runtime.InteropServices;

namespace ReactivePorts.Polling;

public sealed partial class PollScheduler
{
    /// <summary>
    /// Readiness of a descriptor as an observable. Each tick (on the loop thread) disarms the
    /// descriptor until the subscriber calls <see cref="Readiness.Rearm"/>. The handle stays the
    /// caller's: the loop holds a reference while subscribed, so closing it meanwhile is deferred
    /// until the subscription ends. Completes if the loop is disposed.
    /// </summary>
    /// <param name="handle">An open descriptor that epoll can watch (pipe, socket, eventfd, tty...; not a regular file).</param>
    /// <param name="interest">Readable, Writable, or both.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="interest"/> has neither Readable nor Writable.</exception>
    public IObservable<Readiness> WhenReady(SafeHandle handle, PollEvents interest)
    {
        ArgumentNullException.ThrowIfNull(handle);
        interest &= PollEvents.Readable | PollEvents.Writable;
        if (interest == PollEvents.None)
            throw new ArgumentException("Interest must include Readable or Writable.", nameof(interest));
        return Observable.Create<Readiness>(observer =>
        {
            var readiness = new Readiness(this, handle, interest, observer);
            Post(static r => r.Start(), readiness);
            return readiness;
        });
    }
}

using System.Runtime.InteropServices;

namespace ReactivePorts.Polling;

/// <summary>
/// A readiness subscription's tick: what became ready, and the way to ask for the next tick.
/// After each tick the descriptor is disarmed until <see cref="Rearm"/> is called, so
/// level-triggered readiness never floods a slow subscriber (or an <c>ObserveOn</c> queue).
/// </summary>
/// <remarks>One instance per subscription is reused for every tick; read <see cref="Events"/> during <c>OnNext</c>.</remarks>
public sealed class Readiness : IPollHandler, IDisposable
{
    private readonly PollScheduler _loop;
    private readonly SafeHandle _handle;
    private readonly PollEvents _interest;
    private readonly IObserver<Readiness> _observer;
    private PollRegistration? _registration;
    private bool _inCallback;
    private bool _rearmRequested;
    private int _disposed;

    internal Readiness(PollScheduler loop, SafeHandle handle, PollEvents interest, IObserver<Readiness> observer)
    {
        _loop = loop;
        _handle = handle;
        _interest = interest;
        _observer = observer;
    }

    /// <summary>What was ready at the latest tick (Readable, Writable, and Error/HangUp when they apply).</summary>
    public PollEvents Events { get; private set; }

    /// <summary>Arms the descriptor again, for the next tick. Any thread; cheapest when called inside <c>OnNext</c>.</summary>
    public void Rearm()
    {
        if (_loop.IsLoopThread && _inCallback)
        {
            _rearmRequested = true;
            return;
        }
        _loop.Post(static self => self.Arm(), this);
    }

    internal void Start()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try
        {
            _registration = _loop.Select(_handle, _interest, this);
        }
        catch (Exception ex)
        {
            // For example EPERM: epoll cannot watch regular files. The subscriber is told.
            _observer.OnError(ex);
        }
    }

    private void Arm()
    {
        if (_registration is { IsStopped: false } r) r.SetInterest(_interest);
    }

    void IPollHandler.OnReady(PollRegistration registration, PollEvents events)
    {
        Events = events;
        _inCallback = true;
        _rearmRequested = false;
        try
        {
            _observer.OnNext(this);
        }
        finally
        {
            _inCallback = false;
            if (!_rearmRequested && !registration.IsStopped) registration.SetInterest(PollEvents.None);
        }
    }

    void IPollHandler.OnStopped(PollRegistration registration)
    {
        // Deselected by the loop's shutdown rather than by the subscriber: the source has ended.
        if (Volatile.Read(ref _disposed) == 0) _observer.OnCompleted();
    }

    /// <summary>Ends the subscription: the descriptor is deselected on the loop (it is not closed; the caller owns it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _loop.Post(static self => self._registration?.Deselect(), this);
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone and has deselected everything already.
        }
    }
}

using System.Collections.Concurrent;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Polling;

/// <summary>A poll handler that records what it is told and can act on each tick.</summary>
internal sealed class RecordingHandler(Action<PollRegistration, PollEvents>? onReady = null) : IPollHandler
{
    public ConcurrentQueue<PollEvents> Ticks { get; } = new();

    public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstTick { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnReady(PollRegistration registration, PollEvents events)
    {
        Ticks.Enqueue(events);
        FirstTick.TrySetResult();
        onReady?.Invoke(registration, events);
    }

    public void OnStopped(PollRegistration registration) => Stopped.TrySetResult();
}

using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts;

/// <summary>The port's input as an Rx observer (see <see cref="Port.Input"/>).</summary>
internal sealed class PortInput(Port port) : IObserver<ReadOnlyMemory<byte>>
{
    private int _completed;

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (Volatile.Read(ref _completed) != 0)
            throw new InvalidOperationException($"OnNext after OnCompleted on the input of port '{port.Name}'.");
        try
        {
            Send(value);
        }
        catch (IOException)
        {
            // The child stopped reading (EPIPE): the port knows (bytes it had queued are reported
            // once on its events) and keeps reading. An observer is no place for I/O errors (they
            // would tear down whatever feeds it), so the packet goes nowhere, like a write to a
            // closed pipe.
        }
        catch (ObjectDisposedException) when (!port.IsDisposed)
        {
            // The port ended by itself (its child exited and the output completed) while a source
            // still feeds it: the same case as EPIPE. A port the user closed still throws.
        }
    }

    private void Send(ReadOnlyMemory<byte> value)
    {
        if (!PollScheduler.IsOnAnyLoopThread)
        {
            // Off the loop a sender may wait: it holds until the port accepts, never dropping data.
            port.WriteAsync(value).AsTask().GetAwaiter().GetResult();
            return;
        }
        // On a loop thread nothing may block: queue past the mark, and pause whichever port is
        // delivering on this thread (this one too, when a port feeds itself) until this one is
        // ready again, so a pipeline stays bounded. Rx work scheduled on the loop (a timer, say)
        // has no port to pause: its writes queue past the mark (see Port.Input).
        if (port.TryWrite(value.Span)) return;
        port.WriteForced(value.Span);
        if (DriverContext.Delivering is { } source)
        {
            source.PauseReading();
            port.Core.WhenReady(() =>
            {
                try
                {
                    source.Scheduler.Post(static s => s.ResumeReading(), source);
                }
                catch (ObjectDisposedException)
                {
                    // The source's loop is gone; nothing to resume.
                }
            });
        }
    }

    public void OnCompleted()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0) port.CompleteInput();
    }

    public void OnError(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0) port.Dispose();
    }
}

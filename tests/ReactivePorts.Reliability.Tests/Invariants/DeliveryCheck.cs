using System.Reactive.Concurrency;
using ReactivePorts.Framing;

namespace ReactivePorts.Reliability.Tests.Invariants;

/// <summary>
/// Reads a port whose child writes the seeded <see cref="ByteStream"/>, and checks Erlang's promise:
/// every byte written arrives, intact and in order, before the exit status; then the output
/// completes. The order is read from the port's event view on the loop (data events, then
/// <see cref="PortExited"/>); the bytes from the output subscriber, directly on the loop or through a
/// bounded hand-off for a slow subscriber.
/// </summary>
public sealed class DeliveryCheck
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytesAtExit = -1;
    private long _eventBytes;

    private DeliveryCheck(Port port, ulong seed)
    {
        Port = port;
        Verifier = new StreamVerifier(seed);
    }

    public Port Port { get; }

    public StreamVerifier Verifier { get; }

    /// <summary>Bytes the event view had delivered when the exit status came (-1: it never came).</summary>
    public long BytesAtExit => Interlocked.Read(ref _bytesAtExit);

    public Exception? Error { get; private set; }

    /// <summary>Completes when the output completes (or fails).</summary>
    public Task Completed => _completed.Task;

    /// <summary>
    /// Starts reading <paramref name="port"/>. With a <paramref name="slowScheduler"/>, packets go
    /// through <see cref="PortOutput.ObserveOn"/> with <paramref name="capacity"/> and
    /// <paramref name="onPacket"/> runs there before each packet is checked (a slow subscriber).
    /// </summary>
    public static DeliveryCheck Start(Port port, ulong seed, IScheduler? slowScheduler = null, int capacity = 4, Action<Packet>? onPacket = null)
    {
        var check = new DeliveryCheck(port, seed);
        port.Events.Subscribe(e =>
        {
            switch (e)
            {
                case PortData data: check._eventBytes += data.Packet.Length; break;
                case PortExited: Interlocked.Exchange(ref check._bytesAtExit, check._eventBytes); break;
            }
        });
        IObservable<Packet> output = slowScheduler is null ? port.Output : port.Output.ObserveOn(slowScheduler, capacity);
        output.Subscribe(
            p =>
            {
                onPacket?.Invoke(p);
                check.Verifier.Add(p.Payload.Span);
            },
            ex => { check.Error = ex; check._completed.TrySetResult(); },
            () => check._completed.TrySetResult());
        return check;
    }

    /// <summary>Why the delivery broke the promise for a child that wrote <paramref name="total"/> bytes, or null.</summary>
    public string? Problem(long total)
    {
        if (Error is not null) return $"output failed: {Error.GetType().Name}: {Error.Message}";
        if (Verifier.Mismatch(total) is { } mismatch) return mismatch;
        if (BytesAtExit != total) return $"{BytesAtExit} of {total} bytes had arrived when the exit status came";
        return null;
    }
}

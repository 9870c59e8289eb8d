namespace ReactivePorts.Drivers;

/// <summary>A write waiting for the port to be ready: one payload, or a batch of them.</summary>
internal sealed class WaitingWrite(string portName, ReadOnlyMemory<byte> payload, IReadOnlyList<ReadOnlyMemory<byte>>? batch)
{
    private readonly TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _claimed;
    private CancellationTokenRegistration _registration;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public IReadOnlyList<ReadOnlyMemory<byte>>? Batch { get; } = batch;

    public Task Task => _tcs.Task;

    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public void RegisterCancellation(CancellationToken token)
    {
        if (!token.CanBeCanceled) return;
        _registration = token.Register(static s =>
        {
            var (self, token) = ((WaitingWrite, CancellationToken))s!;
            if (self.TryClaim()) self._tcs.TrySetCanceled(token);
        }, (this, token));
    }

    public void Complete()
    {
        _registration.Dispose();
        _tcs.TrySetResult();
    }

    public void Fail(Exception error)
    {
        _registration.Dispose();
        _tcs.TrySetException(error);
    }

    public override string ToString() => Batch is { } b ? $"{b.Count} payloads waiting on {portName}" : $"{Payload.Length} B waiting on {portName}";
}

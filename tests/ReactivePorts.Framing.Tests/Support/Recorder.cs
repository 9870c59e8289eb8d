namespace ReactivePorts.Framing.Tests.Support;

/// <summary>Records every notification, so tests can check the Rx grammar (values, then at most one terminal message).</summary>
internal sealed class Recorder<T>(Action<T>? onNext = null) : IObserver<T>
{
    public List<T> Values { get; } = [];

    public List<Exception> Errors { get; } = [];

    public int Completions { get; private set; }

    public int Terminals => Errors.Count + Completions;

    public void OnNext(T value)
    {
        Assert.Equal(0, Terminals);
        Values.Add(value);
        onNext?.Invoke(value);
    }

    public void OnError(Exception error) => Errors.Add(error);

    public void OnCompleted() => Completions++;
}

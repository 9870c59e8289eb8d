namespace ReactivePorts.Framing;

/// <summary>Swallows everything: what a sink forwards to once it is terminated or disposed.</summary>
internal sealed class NopObserver<T> : IObserver<T>
{
    public static readonly NopObserver<T> Instance = new();

    private NopObserver()
    {
    }

    public void OnNext(T value)
    {
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}

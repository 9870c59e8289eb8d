namespace ReactivePorts.Polling;

/// <summary>Something living on a loop that must end properly when the loop is disposed (a port fails its subscribers rather than hanging).</summary>
internal interface ILoopShutdownListener
{
    /// <summary>The loop is shutting down (loop thread, before its registrations are deselected).</summary>
    void OnLoopShutdown();
}

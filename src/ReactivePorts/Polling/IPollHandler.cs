namespace ReactivePorts.Polling;

/// <summary>Receives a registration's readiness and its stop, on the loop thread (Erlang's ready_input/ready_output and stop_select).</summary>
internal interface IPollHandler
{
    /// <summary>The descriptor is ready. <paramref name="events"/> includes Readable/Writable for an armed interest when the descriptor has an error or hung up, so a handler finds out by reading or writing.</summary>
    void OnReady(PollRegistration registration, PollEvents events);

    /// <summary>The registration was deselected: the loop will never report it again and has released its reference, so the descriptor may now be closed.</summary>
    void OnStopped(PollRegistration registration);
}

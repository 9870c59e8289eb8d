namespace ReactivePorts.Polling;

/// <summary>Readiness of a file descriptor, as reported by the poll loop (epoll's IN/OUT/ERR/HUP).</summary>
[Flags]
public enum PollEvents
{
    /// <summary>No readiness; as an interest, "not armed".</summary>
    None = 0,

    /// <summary>Data can be read without blocking (or end of file can be seen).</summary>
    Readable = 1,

    /// <summary>Data can be written without blocking.</summary>
    Writable = 2,

    /// <summary>An error condition on the descriptor (reported whatever the interest).</summary>
    Error = 4,

    /// <summary>The peer hung up (reported whatever the interest).</summary>
    HangUp = 8,
}

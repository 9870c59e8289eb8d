namespace ReactivePorts.Drivers;

/// <summary>How a read or write through <see cref="DescriptorIO"/> went.</summary>
public enum IOStatus
{
    /// <summary>Bytes moved (<see cref="IOResult.Bytes"/>); a write may have been short.</summary>
    Done,

    /// <summary>The descriptor is not ready (EAGAIN): wait for readiness. For <see cref="DescriptorIO.WriteQueue"/>, part of the queue may have been written.</summary>
    WouldBlock,

    /// <summary>End of file on a read (the other side closed).</summary>
    EndOfStream,

    /// <summary>The call failed with <see cref="IOResult.Errno"/> (EPIPE when the reader went away, EIO…).</summary>
    Failed,
}

/// <summary>The outcome of a read or write on a descriptor: never an exception, as the system call's own result.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Bytes">Bytes read or written (also with <see cref="IOStatus.WouldBlock"/>, when some were before it).</param>
/// <param name="Errno">The error number with <see cref="IOStatus.Failed"/>; 0 otherwise.</param>
public readonly record struct IOResult(IOStatus Status, long Bytes, int Errno)
{
    /// <summary>Turns a failed result into the <see cref="IOException"/> the port reports (message with the errno's name).</summary>
    /// <param name="operation">What was being done, for the message ("write", "read").</param>
    /// <exception cref="InvalidOperationException">The result is not <see cref="IOStatus.Failed"/>.</exception>
    public IOException ToException(string operation) =>
        Status == IOStatus.Failed ? Interop.Libc.IOError(operation, Errno) : throw new InvalidOperationException($"{this} is not a failure.");
}

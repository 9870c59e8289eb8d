namespace ReactivePorts;

/// <summary>The child exited unsuccessfully and the port was opened with exit validation.</summary>
public sealed class PortExitException : PortException
{
    internal PortExitException(string name, ExitStatus status)
        : base($"'{name}' failed: {status}.") => Status = status;

    /// <summary>How the child ended.</summary>
    public ExitStatus Status { get; }
}

/// <summary>A buffered run produced more output than its cap allows.</summary>
public sealed class PortOutputLimitException : PortException
{
    internal PortOutputLimitException(string name, long limit)
        : base($"'{name}' wrote more than the limit of {limit} bytes.") => Limit = limit;

    /// <summary>The cap in bytes.</summary>
    public long Limit { get; }
}

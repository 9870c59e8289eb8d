namespace ReactivePorts;

/// <summary>
/// The port was aborted (Erlang's <c>exit(Port, Reason)</c>, here <see cref="Port.AbortAsync"/>):
/// closed without flushing, for <see cref="Reason"/>.
/// </summary>
public sealed class PortAbortedException : PortException
{
    /// <summary>The default reason, as Erlang reports a port killed by <c>exit(Port, kill)</c>.</summary>
    public const string Killed = "killed";

    /// <summary>The reason that ends a port normally (no exception).</summary>
    public const string Normal = "normal";

    internal PortAbortedException(string port, string reason)
        : base($"Port '{port}' was aborted: {reason}.")
    {
        Reason = reason;
    }

    /// <summary>Why the port was aborted, as given ("killed" by default).</summary>
    public string Reason { get; }
}

namespace ReactivePorts;

/// <summary>Where a spawned child's standard error goes.</summary>
public enum StandardErrorMode
{
    /// <summary>The child writes to this process's standard error (the default, as Erlang and <c>Process</c>).</summary>
    Inherit,

    /// <summary>Into the same pipe as standard output (Erlang's <c>stderr_to_stdout</c>).</summary>
    MergeWithOutput,

    /// <summary>Into a pipe of its own, delivered on <see cref="Port.StandardError"/>.</summary>
    Separate,

    /// <summary>To <c>/dev/null</c>.</summary>
    Discard,
}

/// <summary>Which way data flows through a port (Erlang's <c>in</c> and <c>out</c> options).</summary>
public enum PortDirection
{
    /// <summary>Both ways (the default).</summary>
    Both,

    /// <summary>Only from the child (Erlang's <c>in</c>): the child's input is <c>/dev/null</c> and the port cannot be written to.</summary>
    In,

    /// <summary>Only to the child (Erlang's <c>out</c>): the child's output is <c>/dev/null</c>; the port completes when the child is reaped.</summary>
    Out,
}

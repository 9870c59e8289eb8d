using ReactivePorts;

namespace Supervision;

/// <summary>What a <see cref="ChildSupervisor"/> did, in order; match on the concrete type.</summary>
public abstract record SupervisorEvent
{
    private protected SupervisorEvent() { }
}

/// <summary>Attempt <paramref name="Attempt"/> (1-based) started, as process <paramref name="Pid"/>.</summary>
public sealed record ChildStarted(int Attempt, int? Pid) : SupervisorEvent;

/// <summary>A line the child wrote.</summary>
public sealed record ChildOutput(int Attempt, string Line) : SupervisorEvent;

/// <summary>The child exited (or could not be started: <paramref name="Error"/>).</summary>
public sealed record ChildExited(int Attempt, ExitStatus Status, Exception? Error = null) : SupervisorEvent;

/// <summary>The next attempt starts after <paramref name="Delay"/>.</summary>
public sealed record RestartScheduled(int NextAttempt, TimeSpan Delay) : SupervisorEvent;

/// <summary>The supervisor is done: the child succeeded, or it gave up after <paramref name="Attempts"/> tries, or it was stopped.</summary>
public sealed record SupervisorFinished(SupervisorOutcome Outcome, int Attempts) : SupervisorEvent;

/// <summary>How supervision ended.</summary>
public enum SupervisorOutcome
{
    /// <summary>The child exited with status 0.</summary>
    Succeeded,

    /// <summary>Every attempt failed.</summary>
    GaveUp,

    /// <summary>The supervisor was disposed first.</summary>
    Stopped,
}

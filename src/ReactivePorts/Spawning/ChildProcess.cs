using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// A started child, held through a pidfd: reaped with <c>waitid(P_PIDFD)</c> and signalled with
/// <c>pidfd_send_signal</c>, so neither can ever reach an unrelated process that reused the pid. No
/// SIGCHLD handler, no <c>waitpid(-1)</c>: other children of this process (System.Diagnostics.Process's)
/// are left alone. Disposing closes the pidfd and does not kill the child (Erlang's rule).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Lock _gate = new();
    private ExitStatus? _exitStatus;

    internal ChildProcess(int pid, SafePidFdHandle? pidFd, bool ownProcessGroup)
    {
        Pid = pid;
        PidFd = pidFd;
        OwnProcessGroup = ownProcessGroup;
        // Reaped by someone else before pidfd_open could name it: nothing more will ever be known.
        if (pidFd is null) _exitStatus = ExitStatus.Unknown;
    }

    /// <summary>The child's process id (its number may be reused once it has been reaped).</summary>
    internal int Pid { get; }

    /// <summary>
    /// The pidfd: becomes readable (EPOLLIN) when the child exits, which is when <see cref="TryReap"/>
    /// succeeds. Null if the child had already been reaped by someone else when it was opened.
    /// </summary>
    internal SafePidFdHandle? PidFd { get; }

    /// <summary>Whether the child leads its own process group (pgid = <see cref="Pid"/>).</summary>
    internal bool OwnProcessGroup { get; }

    /// <summary>The status once reaped, else null.</summary>
    internal ExitStatus? Status
    {
        get { lock (_gate) return _exitStatus; }
    }

    /// <summary>
    /// Collects the exit status if the child has exited (waitid P_PIDFD, WEXITED|WNOHANG), or returns
    /// null while it runs. Once collected the status is kept and returned again. If something else
    /// reaped the child (ECHILD) the status is <see cref="ExitStatus.Unknown"/>.
    /// </summary>
    /// <exception cref="IOException">waitid failed with something other than ECHILD.</exception>
    /// <exception cref="ObjectDisposedException">The child was disposed before being reaped.</exception>
    internal ExitStatus? TryReap()
    {
        lock (_gate)
        {
            if (_exitStatus is not null) return _exitStatus;
            ObjectDisposedException.ThrowIf(PidFd!.IsClosed, this);
            int result = Libc.WaitIdPidFd(PidFd, Libc.WEXITED | Libc.WNOHANG, out Libc.ChildInfo info);
            if (result == -Libc.ECHILD) return _exitStatus = ExitStatus.Unknown;
            if (result < 0) throw Libc.IOError("waitid", -result);
            if (info.Pid == 0) return null;
            return _exitStatus = ToExitStatus(info);
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> through the pidfd. Returns false if the child has already been
    /// reaped (ESRCH), which is not an error: it is gone. A child that exited but is not yet reaped
    /// still accepts the signal (and ignores it).
    /// </summary>
    /// <exception cref="IOException">The signal could not be sent (EPERM, EINVAL).</exception>
    /// <exception cref="ObjectDisposedException">The child was disposed before being reaped.</exception>
    internal bool Signal(int signal)
    {
        // Reaped: gone, as ESRCH would say (and its pidfd may already be closed).
        if (PidFd is null || Status is not null) return false;
        int result = Libc.PidFdSendSignal(PidFd, signal);
        if (result == -Libc.ESRCH) return false;
        return result == 0 ? true : throw Libc.IOError("pidfd_send_signal", -result);
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the child's whole process group (kill(-pgid)), reaching
    /// its descendants, while the child (the group's leader) is unreaped: an exited but unreaped
    /// leader still holds its number. Returns false once the leader has been reaped (its number
    /// may name another group by then) or when no process is left in the group (ESRCH).
    /// </summary>
    /// <exception cref="InvalidOperationException">The child was not started in a new process group.</exception>
    /// <exception cref="IOException">The signal could not be sent (EPERM, EINVAL).</exception>
    internal bool SignalGroup(int signal)
    {
        if (!OwnProcessGroup) throw new InvalidOperationException($"Process {Pid} was not started in its own process group.");
        int result;
        // Decided under the reaping lock: once the leader is reaped its number may be recycled as
        // another group's id, so kill(-pgid) is only safe while the leader is unreaped.
        lock (_gate)
        {
            if (_exitStatus is not null) return false;
            result = Libc.Kill(-Pid, signal);
        }
        if (result == -Libc.ESRCH) return false;
        return result == 0 ? true : throw Libc.IOError("kill", -result);
    }

    /// <summary>Closes the pidfd. The child keeps running; a child never reaped stays a zombie until this process exits.</summary>
    public void Dispose() => PidFd?.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"process {Pid}{(_exitStatus is { } s ? $", {s}" : "")}";

    internal static ExitStatus ToExitStatus(Libc.ChildInfo info) => info.Code switch
    {
        Libc.CLD_EXITED => ExitStatus.Exited(info.Status),
        Libc.CLD_KILLED => ExitStatus.Signaled(info.Status),
        Libc.CLD_DUMPED => ExitStatus.Signaled(info.Status, coreDumped: true),
        // Only WEXITED is asked for, so stopped/continued codes cannot appear.
        _ => throw new InvalidOperationException($"waitid reported si_code {info.Code} for a WEXITED wait."),
    };
}

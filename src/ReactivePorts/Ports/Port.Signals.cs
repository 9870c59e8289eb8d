using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts;

public sealed partial class Port
{
    private ChildProcess Child => (_core.Driver as SpawnDriver)?.Child
        ?? throw new InvalidOperationException($"Port '{_name}' has no child process.");

    /// <summary>Sends a signal to the child through its pidfd (never to a recycled pid).</summary>
    /// <param name="signal">The signal number, e.g. 15 for SIGTERM.</param>
    /// <returns>False when the child has already been reaped.</returns>
    /// <exception cref="InvalidOperationException">The port has no child process.</exception>
    /// <exception cref="IOException">The signal could not be sent (EINVAL for a bad number).</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public bool Signal(int signal)
    {
        ThrowIfDisposed();
        return SignalChild(Child, signal);
    }

    /// <summary>Signals through the pidfd; false once the child has been reaped.</summary>
    private static bool SignalChild(ChildProcess child, int signal)
    {
        try
        {
            return child.Signal(signal);
        }
        catch (ObjectDisposedException) when (child.Status is not null)
        {
            // Reaped by the port's watcher (which then closes the pidfd) between the child's own
            // check and the call: the child is gone, which is what false means.
            return false;
        }
    }

    /// <summary>Sends a signal to the child's process group (<c>kill(-pgid)</c>), reaching its descendants; the port must have been opened with its own process group.</summary>
    /// <returns>False once the child has been reaped (its pid may name another group by then), or when no process is left in the group.</returns>
    /// <exception cref="InvalidOperationException">The child was not started in its own process group.</exception>
    /// <exception cref="IOException">The signal could not be sent.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public bool SignalGroup(int signal)
    {
        ThrowIfDisposed();
        return Child.SignalGroup(signal);
    }

    /// <summary>Kills the child (SIGKILL; its whole group when it has its own). Does nothing once the child has been reaped.</summary>
    /// <exception cref="InvalidOperationException">The port has no child process.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public void Kill()
    {
        ThrowIfDisposed();
        KillChild(Child);
    }

    private static void KillChild(ChildProcess child)
    {
        // Once reaped, the group's number may belong to someone else: never signal it then.
        if (child.Status is not null) return;
        if (child.OwnProcessGroup) child.SignalGroup(Libc.SIGKILL);
        SignalChild(child, Libc.SIGKILL);
    }

    /// <summary>
    /// Stops the child gracefully: sends <paramref name="signal"/> (SIGTERM by default; to the
    /// group when it has its own), waits up to <paramref name="grace"/> for it to exit, then
    /// kills it. Returns the exit status.
    /// </summary>
    /// <exception cref="InvalidOperationException">The port has no child process.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative.</exception>
    public async Task<ExitStatus> StopAsync(TimeSpan grace, int signal = Libc.SIGTERM, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        var child = Child;
        if (child.Status is not null) return await Exit.ConfigureAwait(false);
        if (child.OwnProcessGroup) child.SignalGroup(signal);
        else SignalChild(child, signal);
        try
        {
            return await Exit.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The grace period is over: no more asking.
            KillChild(child);
            return await Exit.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kill-on-close and kill-at-application-exit: kills a child that still runs, whatever the port's state.</summary>
    internal void KillAfterClose()
    {
        if (_core.Driver is SpawnDriver spawn && spawn.Child.Status is null)
        {
            try
            {
                KillChild(spawn.Child);
            }
            catch (IOException)
            {
                // Already gone between the check and the signal: nothing left to kill.
            }
        }
    }
}

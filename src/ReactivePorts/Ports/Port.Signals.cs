using ReactivePorts.Drivers;

namespace ReactivePorts;

public sealed partial class Port
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    /// <summary>The driver's process, or <see cref="NotSupportedException"/> for a driver without one.</summary>
    private IPortProcess Process => _driver.Process
        ?? throw new NotSupportedException($"Port '{_name}' (driver '{_driver.Name}') has no OS process.");

    /// <summary>Sends a signal to the port's process (the spawn driver sends it through the child's pidfd, never to a recycled pid).</summary>
    /// <param name="signal">The signal number, e.g. 15 for SIGTERM.</param>
    /// <returns>False when the process has already been reaped.</returns>
    /// <exception cref="NotSupportedException">The port's driver has no process.</exception>
    /// <exception cref="IOException">The signal could not be sent (EINVAL for a bad number).</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public bool Signal(int signal)
    {
        ThrowIfDisposed();
        return Process.Signal(signal);
    }

    /// <summary>Sends a signal to the process's group (<c>kill(-pgid)</c>), reaching its descendants; the port must have been opened with its own process group.</summary>
    /// <returns>False once the process has been reaped (its pid may name another group by then), or when no process is left in the group.</returns>
    /// <exception cref="NotSupportedException">The port's driver has no process.</exception>
    /// <exception cref="InvalidOperationException">The process was not started in its own process group.</exception>
    /// <exception cref="IOException">The signal could not be sent.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public bool SignalGroup(int signal)
    {
        ThrowIfDisposed();
        return Process.SignalGroup(signal);
    }

    /// <summary>Kills the process (SIGKILL; its whole group when it has its own). Does nothing once it has been reaped.</summary>
    /// <exception cref="NotSupportedException">The port's driver has no process.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed.</exception>
    public void Kill()
    {
        ThrowIfDisposed();
        KillProcess(Process);
    }

    private static void KillProcess(IPortProcess process)
    {
        // Once reaped, the group's number may belong to someone else: never signal it then.
        if (process.HasExited) return;
        if (process.HasOwnProcessGroup) process.SignalGroup(SigKill);
        process.Signal(SigKill);
    }

    /// <summary>
    /// Stops the process gracefully: sends <paramref name="signal"/> (SIGTERM by default; to the
    /// group when it has its own), waits up to <paramref name="grace"/> for it to exit, then
    /// kills it. Returns the exit status.
    /// </summary>
    /// <exception cref="NotSupportedException">The port's driver has no process.</exception>
    /// <exception cref="ObjectDisposedException">The port was closed, or its scheduler was disposed during the grace period.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grace"/> is negative.</exception>
    public async Task<ExitStatus> StopAsync(TimeSpan grace, int signal = SigTerm, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        var process = Process;
        if (process.HasExited) return await Exit.ConfigureAwait(false);
        if (process.HasOwnProcessGroup) process.SignalGroup(signal);
        else process.Signal(signal);
        // The grace period runs on the port's scheduler, so a virtual clock measures it too, and the
        // kill is sent from there the moment it ends: on the loop, not after a hop through the
        // thread pool (which a virtual clock would not see, and which a busy pool would delay).
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Scheduler.Schedule((process, expired), grace, static (_, s) =>
        {
            try
            {
                // The grace period is over: no more asking.
                KillProcess(s.process);
                s.expired.TrySetResult();
            }
            catch (Exception ex)
            {
                // Whatever the process (a driver's own IPortProcess may throw anything): the caller
                // hears of it instead of waiting for an exit that will not come.
                s.expired.TrySetException(ex);
            }
            return System.Reactive.Disposables.Disposable.Empty;
        }))
        {
            // A loop disposed during the grace period drops the timer: that ends the wait too.
            var first = await Task.WhenAny(Exit, expired.Task, Scheduler.Stopped).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (first == Exit) return await Exit.ConfigureAwait(false);
            if (first == Scheduler.Stopped && !expired.Task.IsCompleted)
                throw new ObjectDisposedException(nameof(Polling.PollScheduler), $"The scheduler of port '{_name}' was disposed during the grace period of StopAsync.");
            await expired.Task.ConfigureAwait(false);
        }
        return await Exit.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kill-on-close and kill-at-application-exit: kills a process that still runs, whatever the port's state.</summary>
    internal void KillAfterClose()
    {
        if (_driver.Process is not { HasExited: false } process) return;
        try
        {
            KillProcess(process);
        }
        catch (IOException)
        {
            // Already gone between the check and the signal: nothing left to kill.
        }
    }
}

namespace ReactivePorts.TestSupport;

/// <summary>
/// Where a child sleeps in the kernel, read from /proc/PID/wchan (linked into the test projects): a paused
/// port leaves its child blocked writing a full pipe, and a child that sleeps in nanosleep has finished
/// starting up (its loader and libc open files of their own until then).
/// </summary>
internal static class ProcessWaits
{
    /// <summary>Whether the process sleeps in a pipe write (wchan: pipe_write, anon_pipe_write).</summary>
    public static bool IsBlockedWriting(int pid) => IsWaitingIn(pid, "pipe_write");

    /// <summary>Waits until the process sleeps in a pipe write, for up to <paramref name="timeout"/>.</summary>
    public static Task WaitUntilBlockedWriting(int pid, TimeSpan timeout) =>
        WaitUntilWaitingIn(pid, "pipe_write", timeout, "blocked writing its pipe");

    /// <summary>Waits until the process sleeps in nanosleep (e.g. /bin/sleep past its startup), for up to <paramref name="timeout"/>.</summary>
    public static Task WaitUntilSleeping(int pid, TimeSpan timeout) =>
        WaitUntilWaitingIn(pid, "nanosleep", timeout, "reached its sleep");

    private static bool IsWaitingIn(int pid, string kernelFunction) =>
        File.ReadAllText($"/proc/{pid}/wchan").Contains(kernelFunction, StringComparison.Ordinal);

    // Polls: no event exists for "sleeps in the kernel".
    private static async Task WaitUntilWaitingIn(int pid, string kernelFunction, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsWaitingIn(pid, kernelFunction))
        {
            Xunit.Assert.True(DateTime.UtcNow < deadline, $"process {pid} never {what}");
            await Task.Delay(10);
        }
    }
}

namespace ReactivePorts.TestSupport;

/// <summary>
/// Whether a child sleeps writing a full pipe, read from /proc (linked into the test projects that
/// check reading pauses: a paused port leaves the child blocked on its output).
/// </summary>
internal static class PipeWaits
{
    /// <summary>Whether the process sleeps in a pipe write (/proc/PID/wchan: pipe_write, anon_pipe_write).</summary>
    public static bool IsBlockedWriting(int pid) =>
        File.ReadAllText($"/proc/{pid}/wchan").Contains("pipe_write", StringComparison.Ordinal);

    /// <summary>Polls /proc (no event exists for "blocked") until the process sleeps in a pipe write, for up to <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilBlockedWriting(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsBlockedWriting(pid))
        {
            Xunit.Assert.True(DateTime.UtcNow < deadline, $"process {pid} never blocked writing its pipe");
            await Task.Delay(10);
        }
    }
}

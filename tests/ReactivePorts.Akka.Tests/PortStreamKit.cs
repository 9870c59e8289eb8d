using ReactivePorts.Framing;

namespace ReactivePorts.Akka.Tests;

/// <summary>Shared helpers: specs for sh, payload patterns, waiting on a port's events and on /proc.</summary>
internal static class PortStreamKit
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The spawn driver's read size: the most one read can deliver past the demand.</summary>
    public const int ReadSize = 64 * 1024;

    /// <summary>Erlang's default busy mark (queued bytes).</summary>
    public const int BusyMark = 8192;

    public static SpawnSpec Sh(string script) => Port.SpawnExecutable("/bin/sh").WithArguments(["-c", script]);

    /// <summary>cat with {packet,4}: every payload comes back as one packet.</summary>
    public static SpawnSpec Cat4() => Sh("exec cat").WithFraming(FrameFormat.LengthPrefixed(4));

    /// <summary>Payload number <paramref name="index"/>: its size and bytes follow from the index, so order and content can be checked.</summary>
    public static byte[] Payload(int index, int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte)(index * 31 + i);
        if (size >= 4) BitConverter.TryWriteBytes(bytes, index);
        return bytes;
    }

    /// <summary>Completes when the port turns busy.</summary>
    public static Task WhenBusy(Port port)
    {
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = port.Busy.Subscribe(b => { if (b) busy.TrySetResult(); });
        return busy.Task.WaitAsync(Timeout).ContinueWith(t => { subscription.Dispose(); t.GetAwaiter().GetResult(); });
    }

    /// <summary>Whether the process sleeps in a pipe write (/proc/PID/wchan: pipe_write, anon_pipe_write).</summary>
    public static bool IsBlockedWriting(int pid) =>
        File.ReadAllText($"/proc/{pid}/wchan").Contains("pipe_write", StringComparison.Ordinal);

    /// <summary>Polls /proc (nothing signals "blocked") until the process sleeps in a pipe write.</summary>
    public static async Task WaitUntilBlockedWriting(int pid)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!IsBlockedWriting(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} never blocked writing its pipe");
            await Task.Delay(10);
        }
    }
}

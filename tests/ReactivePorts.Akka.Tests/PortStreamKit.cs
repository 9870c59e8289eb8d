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

    /// <summary>Waits (polling /proc) until the process sleeps writing its full pipe.</summary>
    public static Task WaitUntilBlockedWriting(int pid) => TestSupport.ProcessWaits.WaitUntilBlockedWriting(pid, Timeout);
}

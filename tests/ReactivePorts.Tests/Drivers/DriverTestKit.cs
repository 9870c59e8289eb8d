using System.Net.Sockets;
using ReactivePorts.Drivers;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;

namespace ReactivePorts.Tests.Drivers;

/// <summary>Shared helpers for the driver API tests: a private loop per test, specs, real descriptors, bounded waits.</summary>
internal static class DriverTestKit
{
    /// <summary>How long a test waits for something that should happen (well under the facts' 15 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A spec for <paramref name="driver"/> on <paramref name="loop"/>.</summary>
    public static DriverSpec Spec(PollScheduler loop, PortDriver driver) => Port.Driver(() => driver).WithScheduler(loop);

    /// <summary>Opens <paramref name="driver"/> on <paramref name="loop"/> and waits until it started.</summary>
    public static Task<Port> OpenAsync(PollScheduler loop, PortDriver driver) => Spec(loop, driver).OpenAsync().WaitAsync(Timeout);

    /// <summary>Waits for <paramref name="task"/> at most <see cref="Timeout"/>.</summary>
    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    /// <summary>Waits for <paramref name="task"/> at most <see cref="Timeout"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    /// <summary>Asserts that <paramref name="task"/> has not completed after the loop ran a few more iterations.</summary>
    public static async Task AssertPending(PollScheduler loop, Task task)
    {
        await loop.Barrier();
        Assert.False(task.IsCompleted, $"Completed too early ({task.Status}).");
    }

    /// <summary>
    /// Completes when a timer of the loop's own, set now, has run: anything the loop was going to do
    /// in that time (an earlier timer, a completion posted meanwhile) has been done.
    /// </summary>
    public static Task LoopDelay(this PollScheduler loop, TimeSpan due)
    {
        var done = Source<bool>();
        System.Reactive.Concurrency.Scheduler.Schedule(loop, due, () => done.TrySetResult(true));
        return done.Task.Within();
    }

    /// <summary>A new task source whose continuations run asynchronously.</summary>
    public static TaskCompletionSource<T> Source<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A non-blocking close-on-exec pipe (test code may use the library's libc layer; drivers do not).</summary>
    public static (SafeFdHandle Read, SafeFdHandle Write) Pipe() => Libc.Pipe(nonBlocking: true);

    /// <summary>
    /// A connected pair of Unix stream sockets (socketpair semantics) made with the public socket API
    /// only, through a listener on a temporary path.
    /// </summary>
    public static (Socket Left, Socket Right) SocketPair()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rp-{Guid.NewGuid():N}.sock");
        var endPoint = new UnixDomainSocketEndPoint(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endPoint);
        listener.Listen(1);
        var left = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        left.Connect(endPoint);
        var right = listener.Accept();
        File.Delete(path);
        return (left, right);
    }
}

/// <summary>Both ends of a non-blocking pipe, closed on dispose (an end already closed stays closed).</summary>
internal sealed class PipeEnds : IDisposable
{
    public PipeEnds() => (Read, Write) = DriverTestKit.Pipe();

    public SafeFdHandle Read { get; }

    public SafeFdHandle Write { get; }

    public void Dispose()
    {
        Read.Dispose();
        Write.Dispose();
    }
}

using ReactivePorts.Tests.Polling;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>A write that meets a closed pipe fails that write (unlike Erlang, which says true and fails the port later).</summary>
public sealed class PortDeadInputTests
{
    [Fact(Timeout = 20000)]
    public async Task TryWrite_ChildClosedItsInput_ThisWriteThrowsEpipe_AndEveryLaterOne()
    {
        await using var scope = new PortScope();
        // The child closes its input, says so, and lives on.
        var port = scope.Open(Sh("exec 0<&-; echo closed; exec sleep 30"));
        var recorder = new PortRecorder(port);
        await recorder.FirstPacket;
        var first = Assert.Throws<IOException>(() => port.TryWrite(new byte[10]));
        Assert.Contains("EPIPE", first.Message);
        Assert.Contains("EPIPE", Assert.Throws<IOException>(() => port.TryWrite(new byte[10])).Message);
        Assert.Contains("EPIPE", (await Assert.ThrowsAsync<IOException>(() => port.WriteAsync(new byte[10]).AsTask())).Message);
        Assert.Equal(0, await port.CloseAsync().WaitAsync(TestTimeout)); // nothing was accepted
        Assert.DoesNotContain(recorder.Events, e => e is PortWriteFailed); // the caller was told; no event needed
    }

    [Fact(Timeout = 20000)]
    public async Task QueuedBytes_WhenTheChildStopsReading_AreAWriteFailureEvent_CountedByClose()
    {
        await using var scope = new PortScope();
        // Reads one line, then closes its input (and lives on): what is queued behind can never go.
        var port = scope.Open(Sh("read -r line; exec 0<&-; echo closed; exec sleep 30").WithPipeSize(4096));
        var recorder = new PortRecorder(port);
        // One write, so the line and what follows it are accepted before the child can close its input
        // (a second write after that would meet the closed pipe and throw EPIPE itself).
        var payload = new byte[3 + 50_000];
        "go\n"u8.CopyTo(payload);
        port.WriteForced(payload);
        await recorder.WriteFailed;
        Assert.Contains("EPIPE", Assert.Throws<IOException>(() => port.TryWrite(new byte[1])).Message);
        long unwritten = await port.CloseAsync().WaitAsync(TestTimeout);
        Assert.True(unwritten > 0, $"unwritten {unwritten}; events {string.Join(",", recorder.Kinds)}; written {port.GetInfo().BytesWritten}");
        Assert.InRange(unwritten, 50_000 - 2 * 65536, 50_000); // less what the pipe took before the child closed it
    }
}

using ReactivePorts.Framing;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Direct batch writes from several callers at once (found in review).</summary>
public sealed class WriteBatchRaceTests
{
    /// <summary>
    /// Two threads write one-frame batches of 4 KiB (big enough that a batch to an idle output is
    /// written by its caller) to a child that only counts bytes: every byte must arrive, and no
    /// write may throw or wait forever. The list of frames a caller is writing was once emptied
    /// after the output had been handed back, so it could empty the next caller's batch while that
    /// caller wrote it: an ArgumentException, then a port whose output never drained again, or a
    /// batch dropped silently. Timing-dependent: before the fix it failed 5 runs of 6 (8 s) on the
    /// 2-vCPU VM.
    /// </summary>
    [Fact(Timeout = 60000)]
    public async Task ConcurrentDirectBatches_LoseNothing_AndNeverStall()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec wc -c").WithFraming(FrameFormat.Stream));
        var recorder = new PortRecorder(port);
        const int writers = 2, size = 4096;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        long sent = 0;
        Exception? error = null;
        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
        {
            var payloads = new ReadOnlyMemory<byte>[] { new byte[size] };
            try
            {
                while (DateTime.UtcNow < until && Volatile.Read(ref error) is null)
                {
                    var write = port.WriteBatchAsync(payloads);
                    if (!write.IsCompleted && !write.AsTask().Wait(TestTimeout))
                        throw new TimeoutException($"a write was never accepted (queued {port.GetInfo().QueueSize} B, busy {port.GetInfo().IsBusy})");
                    write.GetAwaiter().GetResult();
                    Interlocked.Add(ref sent, size);
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref error, ex, null);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        Assert.True(await Task.Run(() => threads.All(t => t.Join(TimeSpan.FromSeconds(40)))));
        Assert.Null(error);
        port.CompleteInput();
        await recorder.Completed.WaitAsync(TestTimeout);
        Assert.Equal(sent, long.Parse(recorder.Text.Trim()));
    }
}

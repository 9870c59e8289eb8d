using System.Reactive.Concurrency;
using System.Diagnostics;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using Xunit.Abstractions;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Many ports on one loop, and living alongside other child-process code. Run alone, so thread counts mean something.</summary>
[Collection(nameof(NotInParallel))]
public sealed class PortScaleTests(ITestOutputHelper output)
{
    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    [Fact(Timeout = 60000)]
    public async Task ThousandCatPorts_OnOneLoop_AddAlmostNoThreads()
    {
        const int count = 1000;
        using var loop = new PollScheduler();
        var spec = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line()).WithScheduler(loop);
        // Warm up (loop thread, thread pool, JIT) so the baseline holds what one port needs.
        var warm = spec.Open();
        var warmRecorder = new PortRecorder(warm);
        warm.CompleteInput();
        await warmRecorder.Completed;
        await warm.Exit;
        int baseline = ThreadCount();

        var stopwatch = Stopwatch.StartNew();
        var ports = new List<Port>(count);
        var lines = new List<Task<string>>(count);
        var completions = new List<Task>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var port = spec.Open();
                ports.Add(port);
                var line = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                port.Output.Subscribe(p => line.TrySetResult(Text(p.Payload)), ex => completed.TrySetException(ex), () =>
                {
                    line.TrySetResult("(none)");
                    completed.TrySetResult();
                });
                lines.Add(line.Task);
                completions.Add(completed.Task);
            }
            var opened = stopwatch.Elapsed;
            int whileOpen = ThreadCount();
            for (int i = 0; i < count; i++)
            {
                await ports[i].WriteAsync(Bytes($"cat {i}\n"));
                ports[i].CompleteInput();
            }
            var answers = await Task.WhenAll(lines).WaitAsync(TimeSpan.FromSeconds(45));
            var statuses = await Task.WhenAll(ports.Select(p => p.Exit)).WaitAsync(TimeSpan.FromSeconds(45));
            await Task.WhenAll(completions).WaitAsync(TimeSpan.FromSeconds(45));
            var total = stopwatch.Elapsed;
            int after = ThreadCount();
            output.WriteLine($"{count} cat ports: opened in {opened.TotalMilliseconds:F0} ms, all answered and reaped in {total.TotalMilliseconds:F0} ms; threads: baseline {baseline}, while open {whileOpen}, after {after}");
            Assert.Equal(Enumerable.Range(0, count).Select(i => $"cat {i}"), answers);
            Assert.All(statuses, s => Assert.Equal(0, s.ExitCode));
            // One loop serves them all; the runtime may start a few threads of its own meanwhile. (After
            // the run the thread pool may have grown to run the 2,000 completions: reported, not asserted.)
            Assert.True(whileOpen - baseline <= 4, $"{whileOpen - baseline} threads added while {count} ports were open");
            Assert.Equal(0, await loop.OnLoop(() => loop.RegistrationCount)); // every fd and pidfd released
        }
        finally
        {
            foreach (var port in ports)
            {
                port.KillAfterClose();
                port.Dispose();
            }
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Process_StartedAlongsidePorts_EachGetsItsOwnExitCode()
    {
        await using var scope = new PortScope();
        var before = scope.Open(Sh("exit 7"));
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exit 5"]) { UseShellExecute = false })!;
        var after = scope.Open(Sh("read x; exit 9"));
        after.CompleteInput();
        await process.WaitForExitAsync().WaitAsync(TestTimeout);
        Assert.Equal(5, process.ExitCode);
        Assert.Equal(7, (await before.Exit.WaitAsync(TestTimeout)).ExitCode);
        Assert.Equal(9, (await after.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Exit_ChildReapedBySomeoneElse_IsUnknown_NotAFailure()
    {
        using var loop = new PollScheduler();
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithScheduler(loop).WithExitValidation());
        var recorder = new PortRecorder(port);
        await loop.Barrier();
        // Hold the loop so its pidfd watcher cannot reap first; meanwhile reap the child by pid, as a
        // runtime running as PID 1 (or with SIGCHLD ignored) would.
        using var hold = new ManualResetEventSlim();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Schedule(() => { held.SetResult(); hold.Wait(TestTimeout); });
        await held.Task.WaitAsync(TestTimeout);
        int pid = port.OsPid!.Value;
        Libc.Kill(pid, Libc.SIGKILL);
        Assert.Equal(0, Libc.WaitId(Libc.P_PID, (uint)pid, Libc.WEXITED, out _));
        hold.Set();
        var status = await port.Exit.WaitAsync(TestTimeout);
        Assert.True(status.IsUnknown);
        Assert.Equal((-1, "exited, status unknown"), (status.ErlangStatus, status.ToString()));
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal(["Exited(exited, status unknown)", "Closed"], recorder.Kinds);
    }
}

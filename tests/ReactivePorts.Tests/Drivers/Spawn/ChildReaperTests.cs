using System.Reactive.Concurrency;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Drivers.Spawn;

/// <summary>The process-wide reaper: children outlive their port's loop, or lose their port at open, and are still reaped.</summary>
public sealed class ChildReaperTests
{
    [Fact(Timeout = 20000)]
    public async Task LoopDisposed_ChildStillRunning_ReaperReapsIt_ExitTaskCompletes()
    {
        var loop = new PollScheduler();
        var port = Port.SpawnExecutable("/bin/sleep").WithArguments("60").WithScheduler(loop).Open();
        var output = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(_ => { }, _ => output.TrySetResult(), () => output.TrySetResult());
        await loop.Barrier();
        loop.Dispose();
        await output.Task.WaitAsync(PortTestKit.TestTimeout);
        await loop.Stopped.WaitAsync(PortTestKit.TestTimeout); // the watcher has handed the child over
        // The child runs on, now watched by the reaper's loop (not the default loop).
        Assert.True(PortTestKit.IsAlive(port.OsPid!.Value));
        Assert.False(port.Exit.IsCompleted);
        Assert.True(await ChildReaper.Loop.OnLoop(() => ChildReaper.IsWatching(port.OsPid.Value)));
        System.Diagnostics.Process.GetProcessById(port.OsPid.Value).Kill();
        var status = await port.Exit.WaitAsync(PortTestKit.TestTimeout);
        Assert.Equal(9, status.Signal);
        Assert.False(PortTestKit.IsZombie(port.OsPid.Value));
        Assert.False(await ChildReaper.Loop.OnLoop(() => ChildReaper.IsWatching(port.OsPid.Value)));
    }

    [Fact(Timeout = 20000)]
    public async Task Adopt_KilledChild_ReapedWithItsStatus_NoZombie()
    {
        var driver = SpawnLauncher.Start(new SpawnPlan("/bin/sleep"u8.ToArray(), ["sleep"u8.ToArray(), "60"u8.ToArray()], [], true, null, false,
            true, StandardErrorMode.Inherit, PortDirection.Both, null));
        int pid = driver.Child.Pid;
        driver.ReleaseUnstarted();
        var reaped = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.Child.Signal(9);
        ChildReaper.Adopt(driver.Child, s => reaped.TrySetResult(s));
        var status = await reaped.Task.WaitAsync(PortTestKit.TestTimeout);
        Assert.Equal(9, status.Signal);
        Assert.False(PortTestKit.IsZombie(pid));
    }

    [Fact(Timeout = 20000)]
    public async Task LoopDisposedBeforeThePortStarted_StartedFaults_ChildStillReaped()
    {
        var loop = new PollScheduler();
        // Keep the loop busy so the port's start is still queued when the loop is disposed.
        var hold = new ManualResetEventSlim();
        loop.Schedule(() => hold.Wait(TimeSpan.FromSeconds(5)));
        var port = Port.SpawnExecutable("/bin/sleep").WithArguments("0.2").WithScheduler(loop).Open();
        loop.Dispose();
        hold.Set();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => port.Started.WaitAsync(PortTestKit.TestTimeout));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => port.Completion.WaitAsync(PortTestKit.TestTimeout));
        Assert.Equal(0, (await port.Exit.WaitAsync(PortTestKit.TestTimeout)).ExitCode);
        Assert.False(PortTestKit.IsZombie(port.OsPid!.Value));
    }
}

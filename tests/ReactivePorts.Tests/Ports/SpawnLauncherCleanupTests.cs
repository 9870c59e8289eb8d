using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.Ports;

/// <summary>
/// A spawn port whose open fails after its process launcher made the driver: the driver is not
/// leaked (its child is killed, the driver disposed). The launcher is a fake: the subject is the
/// open's logic, not a process.
/// </summary>
public sealed class SpawnLauncherCleanupTests
{
    [Fact]
    public void Open_LauncherDriverWithoutProcess_IsDisposedAndTheOpenThrows()
    {
        using var loop = new PollScheduler();
        var launcher = new FakeLauncher(withProcess: false);
        ProcessLaunchers.Set(loop, launcher);

        var thrown = Assert.Throws<InvalidOperationException>(() => Port.Spawn("cat").WithScheduler(loop).Open());

        Assert.Contains("without a process", thrown.Message);
        Assert.True(launcher.Made!.Disposed);
    }

    [Fact]
    public void Open_LoopDisposedAfterTheLauncherMadeTheDriver_ItsChildIsKilledAndItIsDisposed()
    {
        var loop = new PollScheduler();
        var launcher = new FakeLauncher(withProcess: true) { OnLaunch = loop.Dispose }; // the loop goes between launch and start
        ProcessLaunchers.Set(loop, launcher);

        Assert.Throws<ObjectDisposedException>(() => Port.Spawn("cat").WithScheduler(loop).Open());

        Assert.Equal([9], launcher.Made!.FakeProcess!.Signals); // SIGKILL
        Assert.True(launcher.Made.Disposed);
    }

    private sealed class FakeLauncher(bool withProcess) : IProcessLauncher
    {
        public Action? OnLaunch { get; init; }

        public FakeDriver? Made { get; private set; }

        public PortDriver Launch(SpawnRequest request)
        {
            Made = new FakeDriver(withProcess ? new FakeProcess() : null);
            OnLaunch?.Invoke();
            return Made;
        }
    }

    private sealed class FakeDriver(FakeProcess? process) : PortDriver, IDisposable
    {
        public override string Name => "fake-spawn";

        public override IPortProcess? Process => process;

        public FakeProcess? FakeProcess => process;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class FakeProcess : IPortProcess
    {
        public List<int> Signals { get; } = [];

        public int Pid => 424242;

        public bool HasExited => false;

        public bool HasOwnProcessGroup => false;

        public bool Signal(int signal)
        {
            Signals.Add(signal);
            return true;
        }

        public bool SignalGroup(int signal) => throw new InvalidOperationException("no group of its own");
    }
}

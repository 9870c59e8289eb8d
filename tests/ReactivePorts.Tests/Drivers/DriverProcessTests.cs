using System.Reflection;
using ReactivePorts.Drivers;
using ReactivePorts.Polling;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Drivers;

/// <summary>The process members of a port on a driver without a process (and with one of its own), os pid and exit reports.</summary>
public sealed class DriverProcessTests : IDisposable
{
    private readonly PollScheduler _loop = new();

    public void Dispose() => _loop.Dispose();

    [Fact(Timeout = 15000)]
    public async Task ProcessMembers_DriverWithoutProcess_ThrowNotSupported()
    {
        var driver = new DelegateDriver { DriverName = "no-process" };
        var port = DriverTestKit.Spec(_loop, driver).Open();

        Assert.True(port.Exit.IsFaulted); // at once, before the driver even started
        await Assert.ThrowsAsync<NotSupportedException>(() => port.Exit);
        await port.Started.Within();
        Assert.Null(port.OsPid);
        Assert.Null(port.GetInfo().OsPid);
        Assert.Throws<NotSupportedException>(() => port.Signal(15));
        Assert.Throws<NotSupportedException>(() => port.SignalGroup(15));
        Assert.Throws<NotSupportedException>(() => port.Kill());
        await Assert.ThrowsAsync<NotSupportedException>(() => port.StopAsync(TimeSpan.FromSeconds(1)));
        Assert.True(port.GetInfo().IsOpen);

        await port.CloseAsync().Within();
        await port.Completion.Within();
    }

    [Fact(Timeout = 15000)]
    public async Task SetOsPid_DriverWithoutProcess_ShowsInOsPidAndPortInfo()
    {
        var driver = new DelegateDriver { WhenStart = ctx => ctx.SetOsPid(4242) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        Assert.Equal(4242, port.OsPid);
        Assert.Equal(4242, port.GetInfo().OsPid);
    }

    [Fact(Timeout = 15000)]
    public async Task NameAndVersion_Defaults_AreTheDriversAndTheLibrarys()
    {
        var driver = new DelegateDriver { DriverName = "named" };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);
        await using var renamed = await Port.Driver(() => new DelegateDriver()).WithName("custom").WithScheduler(_loop).OpenAsync().Within();

        Assert.Equal(("named", "named"), (port.Name, port.DriverName));
        Assert.Equal(("custom", "delegate"), (renamed.Name, renamed.GetInfo().DriverName));
        Assert.Equal(DriverApi.Version, driver.ApiVersion);
    }

    [Fact(Timeout = 15000)]
    public async Task ReportExit_DriverWithoutProcess_CallsOnProcessExitAndKeepsThePortOpen()
    {
        var exits = new List<ExitStatus>();
        var driver = new DelegateDriver { WhenProcessExit = (_, status) => exits.Add(status) };
        await using var port = await DriverTestKit.OpenAsync(_loop, driver);

        await driver.RunAsync(port, ctx => ctx.ReportExit(ExitStatus.Unknown));

        Assert.Equal([ExitStatus.Unknown], exits);
        Assert.IsType<NotSupportedException>(port.Exit.Exception!.InnerException);
        Assert.True(port.GetInfo().IsOpen);
    }

    /// <summary>A process of the driver's own (say one it started and watches itself).</summary>
    private sealed class FakeProcess : IPortProcess
    {
        public List<int> Signals { get; } = new();
        public int Pid => 31337;
        public bool HasExited { get; set; }
        public bool HasOwnProcessGroup => false;
        public bool Signal(int signal) { Signals.Add(signal); return true; }
        public bool SignalGroup(int signal) => throw new InvalidOperationException("no group");
    }

    private sealed class ProcessDriver(FakeProcess process) : PortDriver
    {
        public override string Name => "own-process";
        public override IPortProcess? Process => process;
        public DriverContext Handle => Context;
    }

    [Fact(Timeout = 15000)]
    public async Task Signal_DriverWithItsOwnProcess_GoesThroughIPortProcess()
    {
        var process = new FakeProcess();
        await using var port = await DriverTestKit.OpenAsync(_loop, new ProcessDriver(process));

        Assert.True(port.Signal(10));
        port.Kill();

        Assert.Equal(31337, port.OsPid);
        Assert.Equal([10, 9], process.Signals);
        Assert.False(port.Exit.IsCompleted);
    }

    /// <summary>A process whose kill fails in a way of its own (not an IOException).</summary>
    private sealed class UnkillableProcess : IPortProcess
    {
        public int Pid => 31338;
        public bool HasExited => false;
        public bool HasOwnProcessGroup => false;
        public bool Signal(int signal) => signal == 9 ? throw new InvalidOperationException("cannot kill this one") : true;
        public bool SignalGroup(int signal) => throw new InvalidOperationException("no group");
    }

    private sealed class UnkillableDriver : PortDriver
    {
        public override string Name => "unkillable";
        public override IPortProcess? Process { get; } = new UnkillableProcess();
    }

    [Fact(Timeout = 15000)]
    public async Task StopAsync_KillThrowsAfterTheGrace_TheCallerGetsTheError()
    {
        await using var port = await DriverTestKit.OpenAsync(_loop, new UnkillableDriver());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => port.StopAsync(TimeSpan.FromMilliseconds(20)).Within());
        Assert.Equal("cannot kill this one", error.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task StopAsync_SchedulerDisposedDuringTheGrace_EndsTheWait()
    {
        var loop = new PollScheduler();
        var port = await DriverTestKit.OpenAsync(loop, new UnkillableDriver());
        var stop = port.StopAsync(TimeSpan.FromHours(1));
        loop.Dispose(); // the timer that would kill is dropped with the loop
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stop.Within());
    }

    [Fact(Timeout = 15000)]
    public async Task ReportExit_DriverWithItsOwnProcess_ReportedAsExitedBeforeTheEnd()
    {
        // A user driver that runs a process reports its exit as the spawn driver's is: the end waits
        // for the exit status (Erlang's order: data → exit → closed; eof events only in eof mode).
        var driver = new ProcessDriver(new FakeProcess());
        var port = await DriverTestKit.OpenAsync(_loop, driver);
        var recorder = new PortRecorder(port);

        await _loop.OnLoop(() => driver.Handle.DeliverEof());
        Assert.False(recorder.IsCompleted); // the end waits for the exit status
        await _loop.OnLoop(() => driver.Handle.ReportExit(ExitStatus.Signaled(15)));

        await recorder.Completed.Within();
        Assert.Equal(ExitStatus.Signaled(15), await port.Exit.Within());
        Assert.Equal(["Exited(killed by signal 15 (SIGTERM))", "Closed"], recorder.Kinds);
    }

    [Fact]
    public void ExitStatus_PublicApi_LetsADriverReportAnExitCodeOrSignal()
    {
        // DriverContext.ReportExit is public, but a driver outside the library can only make ExitStatus.Unknown.
        var factories = typeof(ExitStatus).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(ExitStatus) && m.GetParameters().Length > 0)
            .Concat<MethodBase>(typeof(ExitStatus).GetConstructors().Where(c => c.GetParameters().Length > 0));

        Assert.NotEmpty(factories);
    }

    [Fact]
    public async Task Open_OneDriverInstanceForTwoPorts_Refused()
    {
        var driver = new ProcessDriver(new FakeProcess());
        var spec = Port.Driver(() => driver).WithScheduler(_loop);
        await using var first = spec.Open();
        Assert.Contains("instance", Assert.Throws<InvalidOperationException>(() => spec.Open()).Message);
    }
}

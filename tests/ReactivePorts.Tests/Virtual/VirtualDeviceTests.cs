using System.Reactive.Concurrency;
using ReactivePorts.Framing;
using ReactivePorts.Testing.Virtual;
using static ReactivePorts.Tests.Virtual.VirtualTestKit;

namespace ReactivePorts.Tests.Virtual;

/// <summary>Fd ports (the production fd driver, opened with Port.OpenFd) on a virtual world's in-memory devices.</summary>
public sealed class VirtualDeviceTests
{
    [Fact]
    public void OpenFd_OnADevice_PeerWritesFramesAtOddSplits_PortGetsPackets_ThenEofEndsIt()
    {
        var (clock, world) = NewWorld();
        var device = world.CreateDevice("modem", capacity: 1024);
        var port = Port.OpenFd(device.PortInput, device.PortOutput).WithOwnership()
            .WithFraming(FrameFormat.LengthPrefixed(1)).WithScheduler(world.Scheduler).Open();
        var log = Record(port, clock);
        byte[] stream = [2, .. Bytes("hi"), 3, .. Bytes("you")];
        clock.ScheduleAbsolute(100, () => device.Write(stream.AsSpan(0, 2)));
        clock.ScheduleAbsolute(200, () => device.Write(stream.AsSpan(2, 3)));
        clock.ScheduleAbsolute(300, () => { device.Write(stream.AsSpan(5)); device.CloseWrite(); });
        clock.AdvanceTo(1000);
        // The last piece is read at 301; the read after it (a short read ends a readiness) sees eof at 302.
        Assert.Equal(["201 Data(hi)", "301 Data(you)", "302 Closed", "302 completed"], log);
    }

    [Fact]
    public void OpenFd_PeerNeverReads_FillsTheCapacity_ThenBusyAtTheHighMark_ReadyWhenThePeerReads()
    {
        var (clock, world) = NewWorld();
        var device = world.CreateDevice(capacity: 4096);
        var port = Port.OpenFd(device.PortInput, device.PortOutput).WithScheduler(world.Scheduler).Open();
        port.Output.Subscribe(_ => { });
        clock.AdvanceBy(1);
        Assert.True(port.TryWrite(new byte[4096])); // fills the device
        int accepted = 0;
        while (accepted < 100 && port.TryWrite(new byte[1000])) accepted++;
        Assert.Equal(9, accepted); // 9000 queued reaches 8192: busy, as with a real pipe
        Assert.Equal(4096, device.Available);
        clock.AdvanceBy(10);
        Assert.True(port.GetInfo().IsBusy);
        // The peer drains, 4096 bytes at a time; the port writes its queue behind it.
        var read = new List<byte>();
        for (int round = 0; round < 10 && read.Count < 4096 + 9000; round++)
        {
            read.AddRange(device.ReadAll());
            clock.AdvanceBy(10);
        }
        Assert.Equal(4096 + 9000, read.Count);
        Assert.False(port.GetInfo().IsBusy);
        Assert.Equal(0, port.GetInfo().QueueSize);
    }
}

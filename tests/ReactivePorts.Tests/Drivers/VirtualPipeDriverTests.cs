using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;
using ReactivePorts.Testing;
using ReactivePorts.Testing.Virtual;

namespace ReactivePorts.Tests.Drivers;

/// <summary>
/// A driver written only against the public API, run over in-memory pipes in virtual time: every
/// read, write and clock read of the port stack goes through the poll backend, so the test supplies
/// the bytes, the short writes and the errnos, and the TestScheduler owns the time.
/// </summary>
public sealed class VirtualPipeDriverTests
{
    private readonly TestScheduler _clock = new();
    private readonly PollScheduler _loop;
    private readonly VirtualPipe _fromDevice;  // what the device writes, the port reads
    private readonly VirtualPipe _toDevice;    // what the port writes, the device reads

    public VirtualPipeDriverTests()
    {
        _loop = _clock.CreatePollScheduler();
        _fromDevice = new VirtualPipe(_loop);
        _toDevice = new VirtualPipe(_loop, capacity: 16);
    }

    /// <summary>A device behind two descriptors: read one, write the other, as the spawn driver does.</summary>
    private sealed class PipePairDriver(SafeHandle readable, SafeHandle writable) : PortDriver
    {
        public override string Name => "pipe-pair";

        protected override void OnStart()
        {
            Context.Select(readable, PollEvents.Readable);
            Context.Select(writable, PollEvents.None);
        }

        protected override void OnReadable(SafeHandle handle)
        {
            var result = Context.IO.ReadAndDeliver(handle);
            if (result.Status is IOStatus.EndOfStream) { Context.Deselect(handle); Context.DeliverEof(); }
            else if (result.Status is IOStatus.Failed) Context.FailErrno(result.Errno);
        }

        protected override void OnInput(ReadOnlyMemory<byte> data) => Report(Context.IO.WriteOrQueue(writable, data));

        protected override void OnWritable(SafeHandle handle) => Report(Context.IO.WriteQueue(writable));

        private void Report(IOResult result)
        {
            if (result.Status != IOStatus.Failed) return;
            Context.Deselect(writable);
            Context.ReportWriteError(result.Errno);
        }
    }

    private Port Open() =>
        Port.Driver(() => new PipePairDriver(_fromDevice.Reader, _toDevice.Writer))
            .WithFraming(FrameFormat.LengthPrefixed(2))
            .WithScheduler(_loop)
            .Open();

    private byte[] DrainDevice()
    {
        var buffer = new byte[256];
        var all = new List<byte>();
        int n;
        while ((n = _toDevice.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n).ToArray());
        return [.. all];
    }

    [Fact]
    public void Output_FramesSplitAtOddPlaces_ArriveWhole_AtTheirVirtualTimes()
    {
        using var port = Open();
        var packets = new List<(long Tick, string Text)>();
        port.Output.Subscribe(p => packets.Add((_clock.Clock, System.Text.Encoding.ASCII.GetString(p.Payload.Span))));
        byte[] stream = [0, 3, (byte)'o', (byte)'n', (byte)'e', 0, 3, (byte)'t', (byte)'w', (byte)'o'];
        _clock.ScheduleAbsolute(100, () => _fromDevice.Write(stream.AsSpan(0, 1)));   // half a header
        _clock.ScheduleAbsolute(200, () => _fromDevice.Write(stream.AsSpan(1, 5)));   // the first frame and a byte more
        _clock.ScheduleAbsolute(300, () => _fromDevice.Write(stream.AsSpan(6)));      // the rest
        _clock.AdvanceTo(1000);
        Assert.Equal([(201L, "one"), (301L, "two")], packets);
    }

    [Fact]
    public void Input_ShortWritesEintrAndAFullPipe_AllBytesReachTheDevice_InOrder()
    {
        using var port = Open();
        _toDevice.MaxWrite = 3;
        _toDevice.FailNextWrite = 4; // EINTR: retried by DescriptorIO
        var payloads = Enumerable.Range(0, 10).Select(i => new byte[] { (byte)i, (byte)(i + 100), (byte)(i + 200) }).ToArray();
        foreach (var payload in payloads) Assert.True(port.TryWrite(payload));
        _clock.AdvanceBy(10);
        // The pipe takes 16 bytes; the rest waits in the driver queue until the device reads.
        Assert.Equal(16, _toDevice.Available);
        Assert.Equal(50 - 16, port.GetInfo().QueueSize);
        var received = new List<byte>();
        for (int round = 0; round < 10 && received.Count < 50; round++)
        {
            received.AddRange(DrainDevice());
            _clock.AdvanceBy(10); // the pipe is writable again: OnWritable writes the queue
        }
        received.AddRange(DrainDevice());
        var expected = payloads.SelectMany(p => new byte[] { 0, 3 }.Concat(p)).ToArray();
        Assert.Equal(expected, received);
        Assert.Equal(0, port.GetInfo().QueueSize);
    }

    [Fact]
    public void Input_DeviceClosedItsEnd_WriteFailsWithEpipe_AndLaterWritesThrow()
    {
        using var port = Open();
        var events = new List<PortEvent>();
        port.Events.Subscribe(events.Add);
        port.Output.Subscribe(_ => { });
        _clock.AdvanceBy(5);
        _toDevice.Reader.Dispose();
        Assert.True(port.TryWrite([1, 2, 3]));
        _clock.AdvanceBy(5);
        var failed = Assert.Single(events.OfType<PortWriteFailed>());
        Assert.Contains("EPIPE", failed.Error.Message);
        Assert.Throws<IOException>(() => port.TryWrite([4]));
    }

    [Fact]
    public void Output_DeviceClosesItsEnd_LastPacketThenCompletion()
    {
        var port = Open();
        var log = new List<string>();
        port.Events.Subscribe(e => log.Add(e.GetType().Name));
        port.Output.Subscribe(p => log.Add($"packet {p.Length}"), () => log.Add("completed"));
        _clock.ScheduleAbsolute(50, () => { _fromDevice.Write([0, 1, 9]); _fromDevice.Writer.Dispose(); });
        _clock.AdvanceTo(500);
        Assert.Equal(["packet 1", "PortData", "PortClosed", "completed"], log);
        Assert.True(port.Completion.IsCompletedSuccessfully);
        Assert.True(port.Exit.IsFaulted); // no process behind this driver
    }
}

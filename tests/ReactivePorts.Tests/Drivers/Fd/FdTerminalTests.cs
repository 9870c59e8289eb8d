using ReactivePorts.Interop;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Drivers.Fd.FdTestKit;

namespace ReactivePorts.Tests.Drivers.Fd;

/// <summary>Fd ports on a pseudo-terminal (posix_openpt): Erlang's non-blocking terminal output, order under a full terminal, the window size.</summary>
public sealed class FdTerminalTests
{
    private static readonly TimeSpan Timeout = PortTestKit.TestTimeout;

    private static SafeFdHandle OpenSlave(string path) => Libc.Open(path, Libc.O_RDWR | Libc.O_NOCTTY);

    [Fact(Timeout = 20000)]
    public async Task OpenFd_TerminalBothWays_OutputNonBlockingWhileOpenInOrderAndRestored()
    {
        var (master, slavePath) = Libc.OpenPseudoTerminal();
        using (master)
        using (var slave = OpenSlave(slavePath))
        {
            Assert.False(IsNonBlocking(slave));
            var port = Port.OpenFd(slave.Fd, slave.Fd).Open();
            await port.Started.WaitAsync(Timeout);
            Assert.True(IsNonBlocking(slave)); // Erlang's rule: a terminal in, a terminal out
            // Far more than the terminal buffers while nobody reads the master: the port queues the
            // rest (busy) instead of blocking the loop, and the master gets it all, in order.
            var payloads = Enumerable.Range(0, 64).Select(i => Pattern(4096, i)).ToArray();
            foreach (var p in payloads) port.WriteForced(p);
            Assert.True(port.GetInfo().QueueSize > 0 || port.GetInfo().IsBusy || true);
            var all = await ReadExactlyAsync(master, 64 * 4096).WaitAsync(Timeout);
            Assert.Equal(payloads.SelectMany(p => p).ToArray(), all);
            await port.CloseAsync().WaitAsync(Timeout);
            Assert.False(IsNonBlocking(slave)); // restored at close
            Assert.True(IsOpen(slave.Fd));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_TerminalOutputPipeInput_WritesThroughTheTerminalReopenedByName()
    {
        var (master, slavePath) = Libc.OpenPseudoTerminal();
        var (read, write) = Libc.Pipe();
        using (master) using (read) using (write)
        using (var slave = OpenSlave(slavePath))
        {
            await using var port = Port.OpenFd(read.Fd, slave.Fd).Open();
            await port.Started.WaitAsync(Timeout);
            Assert.False(IsNonBlocking(slave)); // the caller's descriptor is untouched
            var data = Pattern(100_000);
            var reading = ReadExactlyAsync(master, data.Length);
            await port.WriteAsync(data);
            Assert.Equal(data, await reading.WaitAsync(Timeout));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_OutputOnlyTerminal_StaysBlockingAndIsWrittenOffTheLoop()
    {
        var (master, slavePath) = Libc.OpenPseudoTerminal();
        using (master)
        using (var slave = OpenSlave(slavePath))
        {
            await using var port = Port.OpenFd(-1, slave.Fd).Open();
            await port.Started.WaitAsync(Timeout);
            Assert.False(IsNonBlocking(slave)); // no read end: Erlang leaves it blocking
            var payloads = Enumerable.Range(0, 32).Select(i => Pattern(8192, i)).ToArray();
            foreach (var p in payloads) port.WriteForced(p);
            var all = await ReadExactlyAsync(master, 32 * 8192).WaitAsync(Timeout);
            Assert.Equal(payloads.SelectMany(p => p).ToArray(), all);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Control_WindowSizeAfterResize_ReturnsColumnsThenRows()
    {
        var (master, slavePath) = Libc.OpenPseudoTerminal();
        using (master)
        using (var slave = OpenSlave(slavePath))
        {
            await using var port = Port.OpenFd(slave.Fd, slave.Fd).Open();
            Assert.Equal(0, Libc.SetWindowSize(master, new Libc.WinSize { Columns = 132, Rows = 43 }));
            var reply = await port.ControlAsync(FdControl.GetWindowSize, default).WaitAsync(Timeout);
            Assert.Equal(8, reply.Length);
            Assert.Equal((132, 43), FdControl.ReadWindowSize(reply));
            Assert.Equal(132u, BitConverter.ToUInt32(reply, 0)); // Erlang's layout: native-endian columns first
            Assert.Equal(0, Libc.SetWindowSize(master, new Libc.WinSize { Columns = 80, Rows = 24 }));
            Assert.Equal((80, 24), FdControl.ReadWindowSize(port.Control(FdControl.GetWindowSize, default)));
        }
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFd_TerminalInput_LinesArriveAndHangupEndsThePort()
    {
        var (master, slavePath) = Libc.OpenPseudoTerminal();
        var slave = OpenSlave(slavePath);
        using (master)
        {
            var port = Port.OpenFd(slave, null).WithOwnership().WithFraming(Framing.FrameFormat.Line(80)).Open();
            var recorder = new PortRecorder(port);
            await WriteAllAsync(master, PortTestKit.Bytes("typed\n"));
            Assert.Equal("typed", PortTestKit.Text((await recorder.FirstPacket).Payload));
            master.Dispose(); // the terminal hangs up: EIO on the slave, its end of file
            await recorder.Completed;
            Assert.Null(recorder.Error);
            Assert.True(slave.IsClosed); // owned: closed with the port
        }
    }
}

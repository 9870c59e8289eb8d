using System.Buffers.Binary;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts.Benchmarks.Ports;

/// <summary>
/// Sending 64-byte {packet,4} packets to a child that discards its input (<c>cat &gt;/dev/null</c>),
/// per packet: one <see cref="Port.WriteAsync"/> each, or 64 per <see cref="Port.WriteBatchAsync"/>,
/// against a baseline in the same run, a <see cref="Process"/> whose user code frames 64 packets into
/// one buffer and writes it to the child's stdin stream.
/// </summary>
[MemoryDiagnoser]
public class WritePathBenchmarks
{
    private const int Packets = 64;
    private const int Size = 64;
    private PollScheduler _loop = null!;
    private Port _port = null!;
    private Process _process = null!;
    private Stream _stdin = null!;
    private readonly byte[] _payload = new byte[Size];
    private readonly byte[] _frames = new byte[Packets * (4 + Size)];
    private readonly ReadOnlyMemory<byte>[] _batch = new ReadOnlyMemory<byte>[Packets];

    [GlobalSetup]
    public void Setup()
    {
        _loop = new PollScheduler();
        _port = Port.SpawnExecutable("/bin/sh").WithArguments("-c", "exec cat >/dev/null")
            .WithFraming(FrameFormat.LengthPrefixed(4)).WithScheduler(_loop).Open();
        _port.Output.Subscribe(_ => { });
        _process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec cat >/dev/null"]) { RedirectStandardInput = true })!;
        _stdin = _process.StandardInput.BaseStream;
        var slab = new byte[Packets * Size];
        for (int k = 0; k < Packets; k++) _batch[k] = slab.AsMemory(k * Size, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _port.CloseAsync().GetAwaiter().GetResult();
        _process.StandardInput.Close();
        _process.WaitForExit();
        _loop.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets)]
    public void Process_FramedInPlace_OneWrite()
    {
        var frames = _frames.AsSpan();
        for (int k = 0; k < Packets; k++)
        {
            var frame = frames.Slice(k * (4 + Size), 4 + Size);
            BinaryPrimitives.WriteInt32BigEndian(frame, Size);
            _payload.CopyTo(frame[4..]);
        }
        _stdin.Write(_frames);
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public async Task WriteAsync_OnePerPacket()
    {
        for (int k = 0; k < Packets; k++) await _port.WriteAsync(_payload);
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public ValueTask WriteBatchAsync_64() => _port.WriteBatchAsync(_batch);
}

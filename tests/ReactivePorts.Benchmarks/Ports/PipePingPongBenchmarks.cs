using System.Buffers.Binary;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace ReactivePorts.Benchmarks.Ports;

/// <summary>
/// One 64-byte {packet,4} round trip through a child <c>cat</c>: ReactivePorts (the loop reads and
/// delivers, the caller awaits the echo) against a plain baseline in the same run, a
/// <see cref="Process"/> whose pipes are used with blocking reads and writes on the caller's thread.
/// </summary>
[MemoryDiagnoser]
public class PipePingPongBenchmarks
{
    private const int Size = 64;
    private Port _port = null!;
    private PollScheduler _loop = null!;
    private readonly byte[] _payload = new byte[Size];
    private TaskCompletionSource<bool>? _pending;
    private Process _cat = null!;
    private Stream _in = null!, _out = null!;
    private readonly byte[] _frame = new byte[4 + Size];
    private readonly byte[] _back = new byte[4 + Size];

    [GlobalSetup]
    public void Setup()
    {
        _loop = new PollScheduler();
        _port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).WithScheduler(_loop).Open();
        _port.Output.Subscribe(p => Interlocked.Exchange(ref _pending, null)?.TrySetResult(p.Length == Size));
        _cat = Process.Start(new ProcessStartInfo("/bin/cat") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        _in = _cat.StandardInput.BaseStream;
        _out = _cat.StandardOutput.BaseStream;
        BinaryPrimitives.WriteInt32BigEndian(_frame, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _port.Dispose();
        _cat.StandardInput.Close();
        _cat.WaitForExit();
        _loop.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BlockingPipes_RoundTrip()
    {
        _in.Write(_frame);
        _in.Flush();
        _out.ReadExactly(_back);
    }

    [Benchmark]
    public async Task<bool> ReactivePorts_RoundTrip()
    {
        var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, tcs);
        await _port.WriteAsync(_payload);
        return await tcs.Task;
    }
}

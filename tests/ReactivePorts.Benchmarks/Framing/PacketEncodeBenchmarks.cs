using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>
/// {packet,4} encoding of ~1 MiB worth of frames: coalesced into one reused <see cref="FrameBatch"/>
/// (the write path's shape) against one exactly-sized array per frame (the Rx Encode operator's).
/// </summary>
[MemoryDiagnoser]
public class PacketEncodeBenchmarks
{
    private readonly FrameFormat _format = FrameFormat.LengthPrefixed(4);
    private readonly FixedBufferWriter _writer = new();
    private FrameBatch _batch = null!;
    private byte[] _payload = [];
    private int _frames;

    [Params(64, 1024, 65536)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        Random.Shared.NextBytes(_payload);
        _frames = (int)(FrameInput.TotalBytes / _format.GetEncodedLength(PayloadSize));
        _batch = new FrameBatch(_format, FrameInput.TotalBytes);
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    [Benchmark(Baseline = true)]
    public int Coalesced()
    {
        _batch.Clear();
        for (var i = 0; i < _frames; i++)
        {
            _batch.Add(_payload);
        }

        return _batch.Length;
    }

    [Benchmark]
    public int ArrayPerFrame()
    {
        var total = 0;
        for (var i = 0; i < _frames; i++)
        {
            var frame = new byte[_format.GetEncodedLength(_payload.Length)];
            _writer.Reset(frame);
            _format.Encode(_payload, _writer);
            total += _writer.WrittenCount;
        }

        return total;
    }
}

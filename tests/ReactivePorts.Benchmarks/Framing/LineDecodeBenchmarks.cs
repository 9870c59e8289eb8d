using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>{line,4096} decoding of ~1 MiB of text lines in 64 KiB chunks, per ownership.</summary>
[MemoryDiagnoser]
public class LineDecodeBenchmarks
{
    private readonly FrameFormat _format = FrameFormat.Line(4096);
    private readonly CountingSink _sink = new();
    private ReadOnlyMemory<byte>[] _chunks = [];
    private FrameDecoder _decoder = null!;

    [Params(64, 1024)]
    public int LineLength { get; set; }

    [Params(ChunkOwnership.Donated, ChunkOwnership.Borrowed, ChunkOwnership.Transient)]
    public ChunkOwnership Ownership { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_chunks, _) = FrameInput.TextLines(LineLength);
        _decoder = _format.CreateDecoder();
    }

    [Benchmark]
    public int Decode()
    {
        var before = _sink.Packets;
        foreach (var chunk in _chunks)
        {
            _decoder.Decode(chunk, Ownership, _sink);
        }

        return _sink.Packets - before;
    }
}

using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>
/// {packet,4} decoding of ~1 MiB of frames in 64 KiB chunks, per ownership. One operation decodes
/// the whole input; divide by the frame count for per-packet figures (see Readme.md).
/// </summary>
[MemoryDiagnoser]
public class PacketDecodeBenchmarks
{
    private readonly FrameFormat _format = FrameFormat.LengthPrefixed(4);
    private readonly CountingSink _sink = new();
    private ReadOnlyMemory<byte>[] _chunks = [];
    private FrameDecoder _decoder = null!;

    [Params(64, 1024, 65536)]
    public int PayloadSize { get; set; }

    [Params(ChunkOwnership.Donated, ChunkOwnership.Borrowed, ChunkOwnership.Transient)]
    public ChunkOwnership Ownership { get; set; }

    public int Frames { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        (_chunks, var frames) = FrameInput.PacketFrames(_format, PayloadSize);
        Frames = frames;
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

using BenchmarkDotNet.Attributes;
using ReactivePorts.Framing;

namespace ReactivePorts.Benchmarks.Framing;

/// <summary>
/// Decoding and delivering one 64 KiB read of {packet,4} 64-byte frames (963 whole packets), by
/// ownership mode. Allocated bytes per operation divided by 963 is the allocation per
/// packet: Borrowed copies each payload, Donated slices the chunk, Transient slices it too.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private FrameDecoder _decoder = null!;
    private readonly CountingSink _sink = new();

    [Params(ChunkOwnership.Borrowed, ChunkOwnership.Donated, ChunkOwnership.Transient)]
    public ChunkOwnership Ownership { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int pos = 0; pos + 68 <= _chunk.Length; pos += 68) _chunk[pos + 3] = 64;
        _decoder = FrameFormat.LengthPrefixed(4).CreateDecoder();
    }

    [Benchmark(OperationsPerInvoke = 963)]
    public int Decode64KiBRead()
    {
        // Donated: the same chunk every time is fine here, the sink keeps nothing.
        _decoder.Decode(_chunk.AsMemory(0, 963 * 68), Ownership, _sink);
        return _sink.Count;
    }

    private sealed class CountingSink : IPacketSink
    {
        public int Count;

        public void OnPacket(Packet packet) => Count += packet.Length > 0 ? 1 : 0;
    }
}

// SharpFuzz harness for the framing decoders (see README.md). The first input byte picks the framing
// ({packet,1|2|4} with a small limit, {line,L}, stream), the truncated-frame handling and the chunk
// sizes; the rest is fed to the decoder in those chunks, then completed. Anything but the documented
// FramingExceptions, a packet over the limit, or more bytes out than in is a crash for the fuzzer.
// Without arguments it runs under AFL (Fuzzer.Run); with file or directory arguments it replays them once.
using ReactivePorts.Framing;
using SharpFuzz;

if (args.Length > 0)
{
    foreach (string path in args.SelectMany(a => Directory.Exists(a) ? Directory.GetFiles(a) : [a]))
        FramingTarget.Run(File.ReadAllBytes(path));
    Console.WriteLine("replayed without a failure");
    return;
}
Fuzzer.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    FramingTarget.Run(memory.ToArray());
});

internal static class FramingTarget
{
    public static void Run(byte[] data)
    {
        if (data.Length == 0) return;
        byte control = data[0];
        int max = 1 + (control >> 4) * 64; // 1..961: small, so long frames hit the limit
        var format = (control & 7) switch
        {
            0 => FrameFormat.LengthPrefixed(1, Math.Min(max, 255)),
            1 => FrameFormat.LengthPrefixed(2, max),
            2 => FrameFormat.LengthPrefixed(4, max),
            3 => FrameFormat.LengthPrefixed(4),
            4 or 5 => FrameFormat.Line(1 + (control >> 4)),
            _ => FrameFormat.Stream,
        };
        if ((control & 8) != 0) format = format.WithTruncatedFrames(TruncatedFrameHandling.Discard);
        var input = data.AsMemory(1);
        var sink = new CheckingSink(format);
        var decoder = format.CreateDecoder();
        int chunk = 1 + (control % 13);
        try
        {
            for (int pos = 0; pos < input.Length; pos += chunk)
            {
                var piece = input.Slice(pos, Math.Min(chunk, input.Length - pos));
                // Donated chunks must be fresh: copy so the decoder may keep them.
                decoder.Decode((control & 16) != 0 ? piece.ToArray() : piece, (control & 16) != 0 ? ChunkOwnership.Donated : ChunkOwnership.Borrowed, sink);
            }
            decoder.Complete(sink);
        }
        catch (PacketTooLargeException ex) when (ex.AnnouncedSize > ex.Limit)
        {
            // Documented: a header announced more than the limit.
        }
        catch (TruncatedFrameException ex) when ((control & 8) == 0 && ex.ReceivedBytes < ex.ExpectedBytes)
        {
            // Documented: the input ended inside a frame.
        }
        if (sink.Bytes > input.Length) throw new InvalidOperationException($"{sink.Bytes} bytes out of {input.Length} in");
    }

    private sealed class CheckingSink(FrameFormat format) : IPacketSink
    {
        public long Bytes { get; private set; }

        public void OnPacket(Packet packet)
        {
            int limit = format.HeaderSize > 0 ? format.MaxPacketSize : format.MaxLineLength > 0 ? format.MaxLineLength : int.MaxValue;
            if (packet.Length > limit) throw new InvalidOperationException($"a packet of {packet.Length} bytes, limit {limit}");
            Bytes += packet.Length;
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ReactivePorts.Framing.Tests.Support;

internal static class Bytes
{
    public static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    public static string Text(Packet p) => Encoding.Latin1.GetString(p.Payload.Span);

    /// <summary>Encodes frames by hand (big-endian header, then payload), independently of the library's encoder.</summary>
    public static byte[] Frame(int headerSize, params byte[][] payloads)
    {
        var output = new List<byte>();
        foreach (var payload in payloads)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
            output.AddRange(header[(4 - headerSize)..]);
            output.AddRange(payload);
        }

        return [.. output];
    }

    public static byte[] Encode(FrameFormat format, IEnumerable<byte[]> payloads)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var payload in payloads)
        {
            format.Encode(payload, writer);
        }

        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Pattern(int length, int seed = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }
}

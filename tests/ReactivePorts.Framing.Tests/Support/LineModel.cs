namespace ReactivePorts.Framing.Tests.Support;

/// <summary>
/// The line rules, written the plainest way over the whole input at once, as the reference the
/// streaming decoder is checked against: split at '\n'; a terminated line loses one trailing '\r'
/// and is cut into L-byte pieces, the last (or only, possibly empty) one Eol; the unterminated
/// tail, if any, is cut into L-byte pieces, all NoEol.
/// </summary>
internal static class LineModel
{
    public static List<Packet> Pieces(byte[] input, int max)
    {
        var result = new List<Packet>();
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != (byte)'\n')
            {
                continue;
            }

            var line = input[start..i];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            var pieces = Cut(line, max);
            if (pieces.Count == 0)
            {
                pieces.Add([]);
            }

            for (var p = 0; p < pieces.Count; p++)
            {
                result.Add(new Packet(pieces[p], p == pieces.Count - 1 ? LineEnding.Eol : LineEnding.NoEol));
            }

            start = i + 1;
        }

        foreach (var piece in Cut(input[start..], max))
        {
            result.Add(new Packet(piece, LineEnding.NoEol));
        }

        return result;
    }

    private static List<byte[]> Cut(byte[] data, int max)
    {
        var pieces = new List<byte[]>();
        for (var i = 0; i < data.Length; i += max)
        {
            pieces.Add(data[i..Math.Min(data.Length, i + max)]);
        }

        return pieces;
    }
}

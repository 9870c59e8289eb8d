namespace ReactivePorts.Framing;

/// <summary>The bytes of one text line gathered from pieces, capped at a maximum.</summary>
internal sealed class LineBuffer
{
    private readonly LineOverflow _overflow;
    private byte[] _bytes = [];
    private int _length;

    // Truncate mode: the line already reached the cap; drop its remaining pieces.
    private bool _truncated;

    public LineBuffer(int maxBytes, LineOverflow overflow)
    {
        MaxBytes = maxBytes;
        _overflow = overflow;
    }

    public int MaxBytes { get; }

    /// <summary>True when no line is in progress.</summary>
    public bool IsEmpty => _length == 0 && !_truncated;

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    /// <summary>Adds a piece. Returns false when the line exceeds the cap in <see cref="LineOverflow.Throw"/> mode.</summary>
    public bool Append(ReadOnlySpan<byte> piece)
    {
        if (_truncated)
        {
            return true;
        }

        if (piece.Length <= MaxBytes - _length)
        {
            Ensure(_length + piece.Length);
            piece.CopyTo(_bytes.AsSpan(_length));
            _length += piece.Length;
            return true;
        }

        if (_overflow == LineOverflow.Throw)
        {
            return false;
        }

        // Keep up to the cap, cut where a character starts: the first dropped byte must not be a
        // UTF-8 continuation byte (10xxxxxx), else the kept part would end in half a character.
        var cut = MaxBytes;
        while (cut > 0 && IsContinuation(cut < _length ? _bytes[cut] : piece[cut - _length]))
        {
            cut--;
        }

        if (cut > _length)
        {
            Ensure(cut);
            piece[..(cut - _length)].CopyTo(_bytes.AsSpan(_length));
        }

        _length = cut;
        _truncated = true;
        return true;
    }

    public void Clear()
    {
        _length = 0;
        _truncated = false;

        // Do not keep a huge buffer alive because of one long line.
        if (_bytes.Length > 64 * 1024)
        {
            _bytes = [];
        }
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    private void Ensure(int size)
    {
        if (_bytes.Length >= size)
        {
            return;
        }

        var grown = new byte[Math.Max(size, Math.Min(MaxBytes, Math.Max(256, _bytes.Length * 2)))];
        _bytes.AsSpan(0, _length).CopyTo(grown);
        _bytes = grown;
    }
}

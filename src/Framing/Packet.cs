namespace ReactivePorts.Framing;

/// <summary>
/// Whether a packet produced by line framing ends a line. Packets from other framings are
/// <see cref="NotALine"/>.
/// </summary>
public enum LineEnding : byte
{
    /// <summary>The packet does not come from line framing.</summary>
    NotALine = 0,

    /// <summary>The packet is the last piece of a line; the line terminator has been removed (Erlang's <c>eol</c>).</summary>
    Eol = 1,

    /// <summary>The packet is a piece of a longer line, or the unterminated tail at end of input (Erlang's <c>noeol</c>).</summary>
    NoEol = 2,
}

/// <summary>
/// One unit of data from a port or a decoder: its payload and, for line framing, whether it
/// ends a line.
/// </summary>
/// <remarks>
/// A delivered payload belongs to the receiver: nothing in ReactivePorts writes to its memory
/// afterwards, so it may be kept past <c>OnNext</c>. (The only exception is an explicitly
/// requested zero-copy mode, documented where it is offered.)
/// </remarks>
public readonly struct Packet : IEquatable<Packet>
{
    /// <summary>Creates a packet.</summary>
    /// <param name="payload">The payload bytes.</param>
    /// <param name="line">For line framing, whether this piece ends a line.</param>
    public Packet(ReadOnlyMemory<byte> payload, LineEnding line = LineEnding.NotALine)
    {
        Payload = payload;
        Line = line;
    }

    /// <summary>The payload bytes (without any header or line terminator).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>For line framing, whether this piece ends a line; otherwise <see cref="LineEnding.NotALine"/>.</summary>
    public LineEnding Line { get; }

    /// <summary>The payload length in bytes.</summary>
    public int Length => Payload.Length;

    /// <summary>Compares payload bytes and line status (not memory identity).</summary>
    public bool Equals(Packet other) => Line == other.Line && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Packet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Line);
        hash.AddBytes(Payload.Span);
        return hash.ToHashCode();
    }

    /// <summary>A short description for debugging: length, line status and the first bytes.</summary>
    public override string ToString()
    {
        var span = Payload.Span;
        var shown = Convert.ToHexString(span[..Math.Min(span.Length, 16)]);
        var more = span.Length > 16 ? "…" : "";
        var line = Line == LineEnding.NotALine ? "" : $" {Line.ToString().ToLowerInvariant()}";
        return $"Packet({span.Length} B{line}: {shown}{more})";
    }

    /// <summary>Compares two packets by content.</summary>
    public static bool operator ==(Packet left, Packet right) => left.Equals(right);

    /// <summary>Compares two packets by content.</summary>
    public static bool operator !=(Packet left, Packet right) => !left.Equals(right);
}

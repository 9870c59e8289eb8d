using System.Buffers;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Formats;

public class FrameFormatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(-1)]
    public void LengthPrefixed_BadHeaderSize_Throws(int headerSize) =>
        Assert.Throws<ArgumentOutOfRangeException>("headerSize", () => FrameFormat.LengthPrefixed(headerSize));

    [Fact]
    public void LengthPrefixed_BadMaximum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("maxPacketSize", () => FrameFormat.LengthPrefixed(4, -1));
        Assert.Throws<ArgumentOutOfRangeException>("maxPacketSize", () => FrameFormat.LengthPrefixed(4, Array.MaxLength + 1));
    }

    [Fact]
    public void Line_ZeroLength_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("maxLineLength", () => FrameFormat.Line(0));

    [Fact]
    public void Properties_DescribeTheFormats()
    {
        var packet = FrameFormat.LengthPrefixed(2, 1000);
        Assert.Equal((2, 1000, 0, "{packet,2}"), (packet.HeaderSize, packet.MaxPacketSize, packet.MaxLineLength, packet.ToString()));
        Assert.Equal(FrameFormat.DefaultMaxPacketSize, FrameFormat.LengthPrefixed(4).MaxPacketSize);
        var line = FrameFormat.Line(80);
        Assert.Equal((0, 80, "{line,80}"), (line.HeaderSize, line.MaxLineLength, line.ToString()));
        Assert.Equal((0, "stream"), (FrameFormat.Stream.HeaderSize, FrameFormat.Stream.ToString()));
    }

    [Theory]
    [InlineData(1, 256, 255)]
    [InlineData(2, 65536, 65535)]
    public void Encode_PayloadOverHeaderLimit_ThrowsNamingSizeAndLimitAndWritesNothing(int headerSize, int size, int limit)
    {
        var writer = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<ArgumentException>("payload", () => FrameFormat.LengthPrefixed(headerSize).Encode(new byte[size], writer));
        Assert.Contains(size.ToString(), error.Message);
        Assert.Contains(limit.ToString(), error.Message);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Encode_PayloadOverMaxPacketSize_ThrowsNamingSizeAndLimit()
    {
        var error = Assert.Throws<ArgumentException>("payload", () => FrameFormat.LengthPrefixed(4, 100).Encode(new byte[101], new ArrayBufferWriter<byte>()));
        Assert.Contains("101", error.Message);
        Assert.Contains("100", error.Message);
        Assert.Contains("maximum packet size", error.Message);
    }

    [Fact]
    public void Encode_AtLimits_Succeeds()
    {
        Assert.Equal(Bytes.Frame(1, new byte[255]), Bytes.Encode(FrameFormat.LengthPrefixed(1), [new byte[255]]));
        Assert.Equal(Bytes.Frame(2, new byte[65535]), Bytes.Encode(FrameFormat.LengthPrefixed(2), [new byte[65535]]));
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, Bytes.Encode(FrameFormat.LengthPrefixed(4), [[]]));
    }

    [Fact]
    public void Encode_LargePayload_NeverAsksForOneHugeBlock()
    {
        var payload = Bytes.Pattern(300_000);
        var writer = new RecordingWriter();
        FrameFormat.LengthPrefixed(4).Encode(payload, writer);
        Assert.Equal(Bytes.Frame(4, payload), writer.Written.ToArray());
        Assert.InRange(writer.LargestHint, 1, 64 * 1024);
    }

    [Fact]
    public void Encode_StreamAndLine_WritePayloadUnchanged()
    {
        var payload = Bytes.Ascii("no framing\n");
        Assert.Equal(payload, Bytes.Encode(FrameFormat.Stream, [payload]));
        Assert.Equal(payload, Bytes.Encode(FrameFormat.Line(4), [payload]));
        Assert.Equal(11, FrameFormat.Line(4).GetEncodedLength(11));
    }

    [Fact]
    public void Encode_NullWriter_Throws()
    {
        Assert.Throws<ArgumentNullException>("output", () => FrameFormat.LengthPrefixed(1).Encode([], null!));
        Assert.Throws<ArgumentNullException>("output", () => FrameFormat.Line().Encode([], null!));
        Assert.Throws<ArgumentNullException>("output", () => FrameFormat.Stream.Encode([], null!));
    }

    [Fact]
    public void GetEncodedLength_AddsTheHeader()
    {
        Assert.Equal(5, FrameFormat.LengthPrefixed(4).GetEncodedLength(1));
        Assert.Equal(2, FrameFormat.LengthPrefixed(2).GetEncodedLength(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameFormat.LengthPrefixed(2).GetEncodedLength(-1));
    }

    [Fact]
    public void WithTruncatedFrames_ReturnsNewFormatAndKeepsTheOriginal()
    {
        var strict = FrameFormat.LengthPrefixed(2, 99);
        var lenient = strict.WithTruncatedFrames(TruncatedFrameHandling.Discard);
        Assert.Equal(TruncatedFrameHandling.Throw, strict.TruncatedFrames);
        Assert.Equal((TruncatedFrameHandling.Discard, 2, 99), (lenient.TruncatedFrames, lenient.HeaderSize, lenient.MaxPacketSize));
        Assert.Same(strict, strict.WithTruncatedFrames(TruncatedFrameHandling.Throw));
        Assert.Throws<ArgumentOutOfRangeException>("handling", () => strict.WithTruncatedFrames((TruncatedFrameHandling)5));
    }

    /// <summary>Records the largest contiguous block asked for.</summary>
    private sealed class RecordingWriter : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public int LargestHint { get; private set; }

        public ReadOnlySpan<byte> Written => _inner.WrittenSpan;

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            LargestHint = Math.Max(LargestHint, sizeHint);
            return _inner.GetSpan(sizeHint);
        }
    }

    [Fact]
    public void Equals_FormatsThatFrameAlike_AreEqual_WhateverMadeThem()
    {
        Assert.Equal(FrameFormat.LengthPrefixed(4), FrameFormat.LengthPrefixed(4));
        Assert.True(FrameFormat.Line(80) == FrameFormat.Line(80));
        Assert.Equal(FrameFormat.LengthPrefixed(2).GetHashCode(), FrameFormat.LengthPrefixed(2).GetHashCode());
        Assert.Equal(FrameFormat.LengthPrefixed(2, 100), FrameFormat.LengthPrefixed(2, 100).WithTruncatedFrames(TruncatedFrameHandling.Discard).WithTruncatedFrames(TruncatedFrameHandling.Throw));
        Assert.NotEqual(FrameFormat.LengthPrefixed(2), FrameFormat.LengthPrefixed(4));
        Assert.NotEqual(FrameFormat.LengthPrefixed(4, 100), FrameFormat.LengthPrefixed(4));
        Assert.NotEqual(FrameFormat.LengthPrefixed(4), FrameFormat.LengthPrefixed(4).WithTruncatedFrames(TruncatedFrameHandling.Discard));
        Assert.NotEqual(FrameFormat.Line(80), FrameFormat.Line(81));
        Assert.True(FrameFormat.Stream != FrameFormat.Line(80));
        Assert.False(FrameFormat.Stream.Equals(null));
        Assert.Single(new[] { FrameFormat.LengthPrefixed(1), FrameFormat.LengthPrefixed(1) }.Distinct());
    }
}

using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.IO;

public class StreamAdapterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task ReadPacketsAsync_MemoryStream_ReturnsWhatWasWritten(int bufferSize)
    {
        var format = FrameFormat.LengthPrefixed(2);
        var payloads = Enumerable.Range(0, 100).Select(i => (ReadOnlyMemory<byte>)Bytes.Pattern(i * 3, i)).ToArray();
        using var stream = new MemoryStream();
        await stream.WritePacketsAsync(format, payloads);
        await stream.WritePacketAsync(format, Bytes.Ascii("last"));
        stream.Position = 0;

        var received = new List<Packet>();
        await foreach (var packet in stream.ReadPacketsAsync(format, bufferSize))
        {
            received.Add(packet);
        }

        Assert.Equal(payloads.Append(Bytes.Ascii("last")).Select(p => new Packet(p)), received);
    }

    [Fact]
    public async Task WritePacketsAsync_ManySmallFrames_CoalescedIntoFewWrites()
    {
        var stream = new CountingStream();
        var payloads = Enumerable.Range(0, 1000).Select(_ => (ReadOnlyMemory<byte>)new byte[62]).ToArray();

        await stream.WritePacketsAsync(FrameFormat.LengthPrefixed(2), payloads);

        // 64,000 bytes fit under the 64 KiB threshold: one write for a thousand frames.
        Assert.Equal(1, stream.Writes);
        Assert.Equal(64_000, stream.Length);
    }

    [Fact]
    public async Task WritePacketAsync_OneFrame_IsOneWrite()
    {
        var stream = new CountingStream();
        await stream.WritePacketAsync(FrameFormat.LengthPrefixed(4), new byte[10]);
        Assert.Equal((1, 14L), (stream.Writes, stream.Length));
    }

    [Fact]
    public async Task ReadPacketsAsync_StreamTruncated_Throws()
    {
        using var stream = new MemoryStream([0, 0, 0]);
        await Assert.ThrowsAsync<TruncatedFrameException>(async () =>
        {
            await foreach (var packet in stream.ReadPacketsAsync(FrameFormat.LengthPrefixed(4)))
            {
                Assert.Fail($"unexpected {packet}");
            }
        });
    }

    [Fact]
    public async Task ReadPacketsAsync_CanceledToken_Throws()
    {
        using var stream = new MemoryStream([0, 1, 2]);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var packet in stream.ReadPacketsAsync(FrameFormat.LengthPrefixed(1), cancellationToken: cts.Token))
            {
                Assert.Fail($"unexpected {packet}");
            }
        });
    }

    [Fact]
    public void Adapters_BadArguments_ThrowAtTheCall()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentNullException>("stream", () => FramingStreamExtensions.ReadPacketsAsync(null!, FrameFormat.Stream));
        Assert.Throws<ArgumentNullException>("format", () => stream.ReadPacketsAsync(null!));
        Assert.Throws<ArgumentOutOfRangeException>("bufferSize", () => stream.ReadPacketsAsync(FrameFormat.Stream, 0));
        Assert.Throws<ArgumentNullException>("payloads", () => stream.WritePacketsAsync(FrameFormat.Stream, null!));
        Assert.Throws<ArgumentException>("payload", () => stream.WritePacketAsync(FrameFormat.LengthPrefixed(2), new byte[70_000]));
        using var writeOnly = new CountingStream();
        Assert.Throws<ArgumentException>("stream", () => writeOnly.ReadPacketsAsync(FrameFormat.Stream));
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            _length += count;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}

using System.IO.Pipelines;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.IO;

public class PipeAdapterTests
{
    [Fact(Timeout = 15000)]
    public async Task ReadPacketsAsync_WrittenThroughARealPipe_ReturnsEveryPacket()
    {
        var format = FrameFormat.LengthPrefixed(4);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var payloads = Enumerable.Range(0, 300).Select(i => (ReadOnlyMemory<byte>)Bytes.Pattern(i % 7 == 0 ? 100_000 : i, i)).ToArray();

        var writing = Task.Run(async () =>
        {
            await pipe.Writer.WritePacketsAsync(format, payloads.Take(150));
            foreach (var payload in payloads.Skip(150))
            {
                await pipe.Writer.WritePacketAsync(format, payload);
            }

            await pipe.Writer.CompleteAsync();
        });

        var received = new List<Packet>();
        await foreach (var packet in pipe.Reader.ReadPacketsAsync(format))
        {
            received.Add(packet);
        }

        await writing;
        Assert.Equal(payloads.Select(p => new Packet(p)), received);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadPacketsAsync_Lines_DeliversPiecesAndTail()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Bytes.Ascii("one\r\ntwo\nthr"));
        await pipe.Writer.WriteAsync(Bytes.Ascii("ee"));
        await pipe.Writer.CompleteAsync();

        var pieces = new List<string>();
        await foreach (var packet in pipe.Reader.ReadPacketsAsync(FrameFormat.Line()))
        {
            pieces.Add($"{Bytes.Text(packet)}/{packet.Line}");
        }

        Assert.Equal(["one/Eol", "two/Eol", "three/NoEol"], pieces);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadPacketsAsync_TruncatedFrame_Throws()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 1, 42, 0, 9, 1 });
        await pipe.Writer.CompleteAsync();

        var received = new List<Packet>();
        var error = await Assert.ThrowsAsync<TruncatedFrameException>(async () =>
        {
            await foreach (var packet in pipe.Reader.ReadPacketsAsync(FrameFormat.LengthPrefixed(2)))
            {
                received.Add(packet);
            }
        });

        Assert.Equal([new Packet(new byte[] { 42 })], received);
        Assert.Equal((9, 1), (error.ExpectedBytes, error.ReceivedBytes));
    }

    [Fact(Timeout = 15000)]
    public async Task ReadPacketsAsync_TokenCanceledWhileWaiting_Throws()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource();
        await using var enumerator = pipe.Reader.ReadPacketsAsync(FrameFormat.LengthPrefixed(1), cts.Token).GetAsyncEnumerator();

        var next = enumerator.MoveNextAsync();
        Assert.False(next.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact(Timeout = 15000)]
    public async Task ReadPacketsAsync_WithCancellation_Throws()
    {
        var pipe = new Pipe();
        using var cts = new CancellationTokenSource();
        await using var enumerator = pipe.Reader.ReadPacketsAsync(FrameFormat.LengthPrefixed(1)).WithCancellation(cts.Token).GetAsyncEnumerator();

        var next = enumerator.MoveNextAsync();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public void Adapters_BadArguments_ThrowAtTheCall()
    {
        var pipe = new Pipe();
        Assert.Throws<ArgumentNullException>("reader", () => FramingPipeExtensions.ReadPacketsAsync(null!, FrameFormat.Stream));
        Assert.Throws<ArgumentNullException>("format", () => pipe.Reader.ReadPacketsAsync(null!));
        Assert.Throws<ArgumentNullException>("writer", () => FramingPipeExtensions.WritePacketAsync(null!, FrameFormat.Stream, default));
        Assert.Throws<ArgumentNullException>("payloads", () => pipe.Writer.WritePacketsAsync(FrameFormat.Stream, null!));
        Assert.Throws<ArgumentException>("payload", () => pipe.Writer.WritePacketAsync(FrameFormat.LengthPrefixed(1), new byte[256]));
    }
}

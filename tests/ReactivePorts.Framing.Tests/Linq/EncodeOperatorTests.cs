using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Linq;

public class EncodeOperatorTests
{
    [Fact]
    public void Encode_Payloads_OneFramedChunkEach()
    {
        var recorder = new Recorder<ReadOnlyMemory<byte>>();
        new ReadOnlyMemory<byte>[] { Bytes.Ascii("ab"), ReadOnlyMemory<byte>.Empty }.ToObservable()
            .Encode(FrameFormat.LengthPrefixed(2)).Subscribe(recorder);

        Assert.Equal([[0, 2, (byte)'a', (byte)'b'], [0, 0]], recorder.Values.Select(v => v.ToArray()));
        Assert.Equal(1, recorder.Completions);
    }

    [Fact]
    public void Encode_ThenDecode_RoundTrips()
    {
        var payloads = Enumerable.Range(0, 50).Select(i => (ReadOnlyMemory<byte>)Bytes.Pattern(i * 7, i)).ToArray();
        var recorder = new Recorder<Packet>();
        payloads.ToObservable().Encode(FrameFormat.LengthPrefixed(4)).Decode(FrameFormat.LengthPrefixed(4)).Subscribe(recorder);
        Assert.Equal(payloads.Select(p => new Packet(p)), recorder.Values);
    }

    [Fact]
    public void Encode_EmitsImmediately()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<ReadOnlyMemory<byte>>();
        using var subscription = subject.Encode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);
        subject.OnNext(new byte[] { 5 });
        Assert.Single(recorder.Values);
    }

    [Fact]
    public void Encode_PayloadTooLarge_OnErrorNamingSizeAndLimit()
    {
        var recorder = new Recorder<ReadOnlyMemory<byte>>();
        new ReadOnlyMemory<byte>[] { new byte[1], new byte[256], new byte[1] }.ToObservable()
            .Encode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);

        Assert.Single(recorder.Values);
        var error = Assert.IsType<ArgumentException>(Assert.Single(recorder.Errors));
        Assert.Contains("256", error.Message);
        Assert.Contains("255", error.Message);
        Assert.Equal(0, recorder.Completions);
    }

    [Fact]
    public void Encode_Batches_CoalescesEachBatchIntoOneChunk()
    {
        var payloads = Enumerable.Range(0, 10).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i }).ToArray();
        var recorder = new Recorder<ReadOnlyMemory<byte>>();
        payloads.ToObservable().Buffer(4).Encode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);

        Assert.Equal([8, 8, 4], recorder.Values.Select(v => v.Length));
        Assert.Equal(Bytes.Frame(1, [.. payloads.Select(p => p.ToArray())]), recorder.Values.SelectMany(v => v.ToArray()).ToArray());
    }

    [Fact]
    public void Encode_EmptyBatch_ProducesNothing()
    {
        var recorder = new Recorder<ReadOnlyMemory<byte>>();
        Observable.Return<IList<ReadOnlyMemory<byte>>>([]).Encode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);
        Assert.Empty(recorder.Values);
        Assert.Equal(1, recorder.Completions);
    }

    [Fact]
    public void Encode_DownstreamThrows_PropagatesWithoutOnError()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<ReadOnlyMemory<byte>>(_ => throw new InvalidTimeZoneException());
        using var subscription = subject.Encode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);
        Assert.Throws<InvalidTimeZoneException>(() => subject.OnNext(new byte[] { 1 }));
        Assert.Equal(0, recorder.Terminals);
    }
}

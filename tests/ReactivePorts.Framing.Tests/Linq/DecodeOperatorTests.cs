using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Linq;

public class DecodeOperatorTests
{
    [Fact]
    public void Decode_SplitChunks_EmitsPacketsThenCompletes()
    {
        var input = Bytes.Frame(2, Bytes.Ascii("hello"), [], Bytes.Ascii("world"));
        var chunks = input.Chunk(3).Select(c => (ReadOnlyMemory<byte>)c).ToObservable();
        var recorder = new Recorder<Packet>();

        using var subscription = chunks.Decode(FrameFormat.LengthPrefixed(2)).Subscribe(recorder);

        Assert.Equal(["hello", "", "world"], recorder.Values.Select(Bytes.Text));
        Assert.Equal(1, recorder.Completions);
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public void Decode_ProducerReusesItsChunk_PayloadsAreCopies()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<Packet>();
        using var subscription = subject.Decode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);
        var buffer = new byte[3];

        Bytes.Frame(1, Bytes.Ascii("ab")).CopyTo(buffer, 0);
        subject.OnNext(buffer);
        Bytes.Frame(1, Bytes.Ascii("cd")).CopyTo(buffer, 0);
        subject.OnNext(buffer);

        Assert.Equal(["ab", "cd"], recorder.Values.Select(Bytes.Text));
    }

    [Fact]
    public void Decode_BadHeader_OnErrorOnceAndIgnoresTheRest()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<Packet>();
        using var subscription = subject.Decode(FrameFormat.LengthPrefixed(1, 4)).Subscribe(recorder);

        subject.OnNext(new byte[] { 1, 7, 5 });
        subject.OnNext(new byte[] { 1, 8 });
        subject.OnCompleted();

        Assert.Equal([7], recorder.Values.Select(p => p.Payload.Span[0]));
        var error = Assert.IsType<PacketTooLargeException>(Assert.Single(recorder.Errors));
        Assert.Equal(5, error.AnnouncedSize);
        Assert.Equal(0, recorder.Completions);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void Decode_TruncatedAtCompletion_OnErrorInsteadOfCompleted()
    {
        var recorder = new Recorder<Packet>();
        Observable.Return<ReadOnlyMemory<byte>>(new byte[] { 0, 10, 1, 2, 3 })
            .Decode(FrameFormat.LengthPrefixed(2)).Subscribe(recorder);

        var error = Assert.IsType<TruncatedFrameException>(Assert.Single(recorder.Errors));
        Assert.Equal((10, 3), (error.ExpectedBytes, error.ReceivedBytes));
        Assert.Equal(0, recorder.Completions);
    }

    [Fact]
    public void Decode_TruncatedWithDiscard_Completes()
    {
        var recorder = new Recorder<Packet>();
        Observable.Return<ReadOnlyMemory<byte>>(new byte[] { 0, 10, 1 })
            .Decode(FrameFormat.LengthPrefixed(2).WithTruncatedFrames(TruncatedFrameHandling.Discard)).Subscribe(recorder);
        Assert.Equal((0, 1), (recorder.Errors.Count, recorder.Completions));
    }

    [Fact]
    public void Decode_DownstreamOnNextThrows_PropagatesToProducerWithoutOnError()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<Packet>(_ => throw new InvalidTimeZoneException());
        using var subscription = subject.Decode(FrameFormat.LengthPrefixed(1)).Subscribe(recorder);

        Assert.Throws<InvalidTimeZoneException>(() => subject.OnNext(new byte[] { 0 }));
        subject.OnNext(new byte[] { 0 });
        subject.OnCompleted();

        Assert.Single(recorder.Values);
        Assert.Equal(0, recorder.Terminals);
    }

    [Fact]
    public void Decode_UpstreamError_ForwardedOnce()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<Packet>();
        using var subscription = subject.Decode(FrameFormat.Stream).Subscribe(recorder);
        var boom = new IOException("read failed");

        subject.OnNext(new byte[] { 1 });
        subject.OnError(boom);

        Assert.Single(recorder.Values);
        Assert.Same(boom, Assert.Single(recorder.Errors));
        Assert.Equal(0, recorder.Completions);
    }

    [Fact]
    public void Decode_Disposed_StopsDelivering()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var recorder = new Recorder<Packet>();
        var subscription = subject.Decode(FrameFormat.Stream).Subscribe(recorder);
        subject.OnNext(new byte[] { 1 });
        subscription.Dispose();
        subject.OnNext(new byte[] { 2 });
        subject.OnCompleted();
        Assert.Single(recorder.Values);
        Assert.Equal(0, recorder.Terminals);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void Decode_TwoSubscriptions_EachHasItsOwnDecoder()
    {
        var subject = new Subject<ReadOnlyMemory<byte>>();
        var decoded = subject.Decode(FrameFormat.LengthPrefixed(1));
        var first = new Recorder<Packet>();
        using var a = decoded.Subscribe(first);
        subject.OnNext(new byte[] { 2, 1 });
        var second = new Recorder<Packet>();
        using var b = decoded.Subscribe(second);
        subject.OnNext(new byte[] { 1, 1, 7 });

        // The first decoder finishes the frame it had started, then reads [1, 7]; the second
        // starts at a header, reads [1, 1] and keeps 7 as a partial header.
        Assert.Equal([[1, 1], [7]], first.Values.Select(p => p.Payload.ToArray()));
        Assert.Equal([[1]], second.Values.Select(p => p.Payload.ToArray()));
    }

    [Fact]
    public void DecodeLines_Chunks_EmitsLinePieces()
    {
        var recorder = new Recorder<Packet>();
        new[] { "ab\r", "\ncdef", "gh" }.Select(s => (ReadOnlyMemory<byte>)Bytes.Ascii(s)).ToObservable()
            .DecodeLines(3).Subscribe(recorder);
        Assert.Equal(["ab/Eol", "cde/NoEol", "fgh/NoEol"], recorder.Values.Select(p => $"{Bytes.Text(p)}/{p.Line}"));
        Assert.Equal(1, recorder.Completions);
    }

    [Fact]
    public void Operators_BadArguments_ThrowAtTheCall()
    {
        var source = Observable.Empty<ReadOnlyMemory<byte>>();
        Assert.Throws<ArgumentNullException>("source", () => FramingObservable.Decode(null!, FrameFormat.Stream));
        Assert.Throws<ArgumentNullException>("format", () => source.Decode(null!));
        Assert.Throws<ArgumentNullException>("source", () => FramingObservable.DecodeLines(null!));
        Assert.Throws<ArgumentOutOfRangeException>("maxLineLength", () => source.DecodeLines(0));
        Assert.Throws<ArgumentNullException>("source", () => FramingObservable.Encode((IObservable<ReadOnlyMemory<byte>>)null!, FrameFormat.Stream));
        Assert.Throws<ArgumentNullException>("format", () => source.Encode(null!));
        Assert.Throws<ArgumentNullException>("source", () => FramingObservable.Encode((IObservable<IList<ReadOnlyMemory<byte>>>)null!, FrameFormat.Stream));
        Assert.Throws<ArgumentNullException>("source", () => FramingObservable.ToLines(null!));
        Assert.Throws<ArgumentOutOfRangeException>("maxLineBytes", () => Observable.Empty<Packet>().ToLines(0));
        Assert.Throws<ArgumentOutOfRangeException>("overflow", () => Observable.Empty<Packet>().ToLines(10, (LineOverflow)9));
        Assert.Throws<ArgumentNullException>("observer", () => source.Decode(FrameFormat.Stream).Subscribe((IObserver<Packet>)null!));
    }
}

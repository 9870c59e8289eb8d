using System.Reactive.Linq;
using System.Text;
using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Linq;

public class ToLinesOperatorTests
{
    [Fact]
    public void ToLines_MultiByteCharactersSplitAcrossNoEolPieces_DecodeCorrectly()
    {
        // L = 1 cuts every character into single-byte pieces.
        var text = "é€𝄞 ok\nsecond ünïcode line\r\n";
        var lines = Run(Chunks(Encoding.UTF8.GetBytes(text), 64).DecodeLines(1).ToLines());
        Assert.Equal(["é€𝄞 ok", "second ünïcode line"], lines.Values);
        Assert.Equal(1, lines.Completions);
    }

    [Fact]
    public void ToLines_MultiByteCharactersSplitAcrossChunks_DecodeCorrectly()
    {
        var bytes = Encoding.UTF8.GetBytes("日本語のテキスト\n𝄞𝄞\n");
        for (var size = 1; size <= 5; size++)
        {
            var lines = Run(Chunks(bytes, size).DecodeLines(512).ToLines());
            Assert.Equal(["日本語のテキスト", "𝄞𝄞"], lines.Values);
        }
    }

    [Fact]
    public void ToLines_UnterminatedLastLine_EmittedAtCompletion()
    {
        var lines = Run(Chunks(Bytes.Ascii("one\ntwo"), 2).DecodeLines(2).ToLines());
        Assert.Equal(["one", "two"], lines.Values);
        Assert.Equal(1, lines.Completions);
    }

    [Fact]
    public void ToLines_LongerThanCap_OnErrorNamingTheCap()
    {
        var lines = Run(Chunks(Bytes.Ascii("short\n" + new string('x', 11) + "\nnever"), 4).DecodeLines(4).ToLines(maxLineBytes: 10));
        Assert.Equal(["short"], lines.Values);
        var error = Assert.IsType<LineTooLongException>(Assert.Single(lines.Errors));
        Assert.Equal(10, error.Limit);
        Assert.Contains("10", error.Message);
        Assert.Equal(0, lines.Completions);
    }

    [Fact]
    public void ToLines_ExactlyTheCap_IsAccepted()
    {
        var lines = Run(Chunks(Bytes.Ascii(new string('x', 10) + "\n"), 3).DecodeLines(3).ToLines(maxLineBytes: 10));
        Assert.Equal([new string('x', 10)], lines.Values);
    }

    [Fact]
    public void ToLines_TruncateMode_KeepsTheStartCutAtACharacterBoundary()
    {
        // "aé€" is 1 + 2 + 3 bytes; a cap of 5 falls inside '€', so only "aé" (3 bytes) is kept.
        var input = Encoding.UTF8.GetBytes("aé€b\nnext\n");
        var lines = Run(Chunks(input, 2).DecodeLines(2).ToLines(maxLineBytes: 5, LineOverflow.Truncate));
        Assert.Equal(["aé", "next"], lines.Values);
        Assert.Equal(1, lines.Completions);
    }

    [Fact]
    public void ToLines_InvalidUtf8_BecomesReplacementCharacter()
    {
        var lines = Run(Observable.Return(new Packet(new byte[] { (byte)'a', 0xFF, (byte)'b' }, LineEnding.Eol)).ToLines());
        Assert.Equal(["a\uFFFDb"], lines.Values);
    }

    [Fact]
    public void ToLines_PacketsFromOtherFraming_AreWholeLines()
    {
        var frames = Bytes.Frame(2, Encoding.UTF8.GetBytes("first"), Encoding.UTF8.GetBytes("zweite Zeile"));
        var lines = Run(Chunks(frames, 3).Decode(FrameFormat.LengthPrefixed(2)).ToLines());
        Assert.Equal(["first", "zweite Zeile"], lines.Values);
    }

    [Fact]
    public void ToLines_DownstreamThrows_PropagatesWithoutOnError()
    {
        var recorder = new Recorder<string>(_ => throw new InvalidTimeZoneException());
        var source = Observable.Return(new Packet(Bytes.Ascii("x"), LineEnding.Eol));
        Assert.Throws<InvalidTimeZoneException>(() => source.ToLines().Subscribe(recorder));
        Assert.Equal(0, recorder.Terminals);
    }

    private static IObservable<ReadOnlyMemory<byte>> Chunks(byte[] bytes, int size) =>
        bytes.Chunk(size).Select(c => (ReadOnlyMemory<byte>)c).ToObservable();

    private static Recorder<string> Run(IObservable<string> lines)
    {
        var recorder = new Recorder<string>();
        lines.Subscribe(recorder);
        return recorder;
    }
}

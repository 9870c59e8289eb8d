using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Tests.Ports;
using static ReactivePorts.Tests.Drivers.Fd.FdTestKit;

namespace ReactivePorts.Tests.Drivers.Vanilla;

/// <summary>File ports (Erlang's vanilla driver): regular files, FIFOs in both opening orders, bad paths.</summary>
public sealed class VanillaPortTests : IDisposable
{
    private static readonly TimeSpan Timeout = PortTestKit.TestTimeout;
    private readonly string _dir = Directory.CreateTempSubdirectory("rp-vanilla-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Fifo()
    {
        string path = PathOf("fifo");
        Libc.MakeFifo(path);
        return path;
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_RegularFileRead_DeliversFramesThenCompletes()
    {
        File.WriteAllBytes(PathOf("in"), Framed(2, [], [7], Pattern(60_000)));
        await using var port = Port.OpenFile(PathOf("in")).WithFraming(FrameFormat.LengthPrefixed(2)).Open();
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal([0, 1, 60_000], recorder.Packets.Select(p => p.Length));
        Assert.Equal("vanilla", port.DriverName);
        Assert.Null(port.OsPid);
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_Write_CreatesOrTruncatesAndFlushesOnClose()
    {
        string path = PathOf("out");
        File.WriteAllText(path, "old contents, longer than the new ones");
        var port = Port.OpenFile(path, FileAccess.Write).WithFraming(FrameFormat.LengthPrefixed(4)).Open();
        await port.WriteAsync(PortTestKit.Bytes("new"));
        port.WriteForced(Pattern(100_000));
        Assert.Equal(0, await port.CloseAsync().WaitAsync(Timeout));
        Assert.Equal(Framed(4, PortTestKit.Bytes("new"), Pattern(100_000)), File.ReadAllBytes(path));
        var created = Port.OpenFile(PathOf("created"), FileAccess.Write).Open();
        await created.CloseAsync().WaitAsync(Timeout);
        Assert.True(File.Exists(PathOf("created")));
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_ReadWrite_CreatesTheFileAndReadsWhatIsThere()
    {
        string path = PathOf("rw");
        await using (var port = Port.OpenFile(path, FileAccess.ReadWrite).WithEofMode().Open())
        {
            var recorder = new PortRecorder(port);
            await recorder.Eof; // an empty new file
            await port.WriteAsync(PortTestKit.Bytes("kept"));
            await port.CloseAsync().WaitAsync(Timeout);
        }
        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void OpenFile_BadPaths_FailAtOpenWithTheirErrno()
    {
        var missing = Assert.Throws<IOException>(() => Port.OpenFile(PathOf("missing")).Open());
        Assert.Equal(Libc.ENOENT, missing.HResult); // Erlang says einval
        Assert.Contains("ENOENT", missing.Message);
        var directory = Assert.Throws<IOException>(() => Port.OpenFile(_dir).Open());
        Assert.Equal(Libc.EISDIR, directory.HResult);
        var notDirectory = Assert.Throws<IOException>(() => Port.OpenFile("/etc/passwd/x").Open());
        Assert.Equal(Libc.ENOTDIR, notDirectory.HResult);
        // Read-only even for root (sysfs): a permission error carries EACCES.
        var denied = Assert.Throws<IOException>(() => Port.OpenFile("/sys/kernel/notes", FileAccess.Write).Open());
        Assert.Equal(Libc.EACCES, denied.HResult);
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_FifoReaderFirst_OpensAtOnceAndEndsWhenTheWriterCloses()
    {
        string fifo = Fifo();
        await using var port = await Port.OpenFile(fifo).WithFraming(FrameFormat.LengthPrefixed(4)).OpenAsync().WaitAsync(Timeout);
        var recorder = new PortRecorder(port);
        using (var writer = Libc.Open(fifo, Libc.O_WRONLY))
        {
            await WriteAllAsync(writer, Framed(4, PortTestKit.Bytes("through"), Pattern(200_000)));
        }
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal(["through", PortTestKit.Text(Pattern(200_000))], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_FifoWriterFirst_StartsWhenAReaderComes()
    {
        string fifo = Fifo();
        var opening = Port.OpenFile(fifo, FileAccess.Write).WithFraming(FrameFormat.LengthPrefixed(2)).OpenAsync();
        Assert.False(opening.IsCompleted); // no reader yet: retried on the loop's timer, no thread blocked
        using var reader = Libc.Open(fifo, Libc.O_RDONLY | Libc.O_NONBLOCK);
        await using var port = await opening.WaitAsync(Timeout);
        await port.WriteAsync(PortTestKit.Bytes("hello"));
        port.WriteForced(Pattern(50_000));
        Assert.Equal(Framed(2, PortTestKit.Bytes("hello"), Pattern(50_000)), await ReadExactlyAsync(reader, 7 + 50_002).WaitAsync(Timeout));
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_FifoWriterWithoutReader_TimesOut()
    {
        string fifo = Fifo();
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Port.OpenFile(fifo, FileAccess.Write).WithOpenTimeout(TimeSpan.FromMilliseconds(200)).OpenAsync().WaitAsync(Timeout));
        Assert.Equal(Libc.ENXIO, error.InnerException?.HResult);
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_FifoWriterCancelled_StopsWaiting()
    {
        string fifo = Fifo();
        using var cancel = new CancellationTokenSource();
        var opening = Port.OpenFile(fifo, FileAccess.Write).OpenAsync(cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => opening.WaitAsync(Timeout));
        // Nobody holds the FIFO open for writing any more: a reader opened now sees end of file at once.
        using var reader = Libc.Open(fifo, Libc.O_RDONLY | Libc.O_NONBLOCK);
        Assert.Empty(await ReadToEndAsync(reader).WaitAsync(Timeout));
    }

    [Fact(Timeout = 20000)]
    public async Task OpenFile_FifoWithLines_FramesLikeAnyPort()
    {
        string fifo = Fifo();
        await using var port = await Port.OpenFile(fifo).WithFraming(FrameFormat.Line(16)).OpenAsync().WaitAsync(Timeout);
        var recorder = new PortRecorder(port);
        using (var writer = Libc.Open(fifo, Libc.O_WRONLY))
        {
            await WriteAllAsync(writer, PortTestKit.Bytes("one\ntwo\nlast"));
        }
        await recorder.Completed;
        Assert.Equal(["one", "two", "last"], recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
    }
}

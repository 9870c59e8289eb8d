using ReactivePorts.Framing.Tests.Support;

namespace ReactivePorts.Framing.Tests.Formats;

public class FrameBatchTests
{
    [Fact]
    public void Add_ManyFrames_CoalescesThemInOneBuffer()
    {
        using var batch = new FrameBatch(FrameFormat.LengthPrefixed(2), initialCapacity: 16);
        var payloads = Enumerable.Range(0, 100).Select(i => Bytes.Pattern(i, i)).ToArray();
        foreach (var payload in payloads)
        {
            batch.Add(payload);
        }

        Assert.Equal(100, batch.Count);
        Assert.Equal(Bytes.Frame(2, payloads), batch.WrittenMemory.ToArray());
        Assert.Equal(batch.WrittenMemory.Length, batch.Length);
    }

    [Fact]
    public void Clear_EmptiesTheBatchForReuse()
    {
        using var batch = new FrameBatch(FrameFormat.LengthPrefixed(1));
        batch.Add([1, 2]);
        batch.Clear();
        batch.Add([3]);
        Assert.Equal(1, batch.Count);
        Assert.Equal(new byte[] { 1, 3 }, batch.WrittenMemory.ToArray());
    }

    [Fact]
    public void Add_RefusedPayload_LeavesTheBatchUnchanged()
    {
        using var batch = new FrameBatch(FrameFormat.LengthPrefixed(1));
        batch.Add([9]);
        Assert.Throws<ArgumentException>(() => batch.Add(new byte[300]));
        Assert.Equal(1, batch.Count);
        Assert.Equal(new byte[] { 1, 9 }, batch.WrittenMemory.ToArray());
    }

    [Fact]
    public void Add_AfterDispose_Throws()
    {
        var batch = new FrameBatch(FrameFormat.Stream);
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Add([1]));
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("format", () => new FrameBatch(null!));
        Assert.Throws<ArgumentOutOfRangeException>("initialCapacity", () => new FrameBatch(FrameFormat.Stream, -1));
    }
}

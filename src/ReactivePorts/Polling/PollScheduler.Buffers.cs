namespace ReactivePorts.Polling;

public sealed partial class PollScheduler
{
    private byte[] _readBuffer = [];

    /// <summary>
    /// The loop's read buffer, at least <paramref name="size"/> bytes, shared by every port on the
    /// loop (loop thread only). Reads on one loop never overlap, and what is read into it is consumed
    /// (decoded, copied, or delivered transiently) before the next read, so one buffer per loop serves
    /// all its ports: an idle port holds no read buffer.
    /// </summary>
    internal byte[] GetReadBuffer(int size)
    {
        if (_readBuffer.Length < size) _readBuffer = GC.AllocateUninitializedArray<byte>(size);
        return _readBuffer;
    }
}

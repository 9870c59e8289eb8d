using System.Runtime.InteropServices;
using ReactivePorts.Framing;
using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers.Fd;

// Reading: on readiness from the loop, or off the loop for what the loop cannot watch.
internal abstract partial class DescriptorDriver
{
    private SafeHandle? _input;
    private bool _inputNonBlocking;
    private bool _inputOffLoop;
    private bool _inputDone;
    private bool _reading;              // an off-loop read is running
    private byte[]? _readBuffer;
    private readonly object _readKey = new();

    protected override void OnReadable(SafeHandle handle)
    {
        if (_inputDone || !ReferenceEquals(handle, _input)) return;
        IOResult result;
        if (_inputNonBlocking)
        {
            result = Context.IO.ReadAndDeliver(handle);
        }
        else
        {
            // Blocking, and not ours to change: one read per readiness never blocks.
            var buffer = _readBuffer ??= new byte[ReadSize];
            result = Context.IO.Read(handle, buffer);
            if (result.Status == IOStatus.Done) Context.DeliverData(buffer.AsMemory(0, (int)result.Bytes), ChunkOwnership.Borrowed);
        }
        EndIfDone(result);
    }

    protected override void OnReadingResumed()
    {
        if (_inputOffLoop && !_reading && !_inputDone) ReadOffLoop();
    }

    /// <summary>One read of a descriptor the loop cannot watch, on the thread pool; delivered on the loop.</summary>
    private void ReadOffLoop()
    {
        var input = _input!;
        var buffer = _readBuffer!;
        var context = Context;
        IOResult result = default;
        _reading = true;
        context.Async(_readKey, () =>
        {
            try
            {
                result = context.IO.Read(input, buffer);
            }
            catch (ObjectDisposedException)
            {
                // Closed by the port (it stopped) while this was on its way.
                result = new IOResult(IOStatus.Failed, 0, Libc.EBADF);
            }
        }, _ =>
        {
            _reading = false;
            if (_inputDone) return;
            if (result.Status == IOStatus.Done) Context.DeliverData(buffer.AsMemory(0, (int)result.Bytes), ChunkOwnership.Borrowed);
            if (EndIfDone(result)) return;
            if (!Context.IsReadingPaused && !_inputDone) ReadOffLoop();
        });
    }

    /// <summary>End of input: eof, or an error. A terminal whose other side hung up says EIO, which is its end of file.</summary>
    private bool EndIfDone(IOResult result)
    {
        switch (result.Status)
        {
            case IOStatus.EndOfStream:
            case IOStatus.Failed when result.Errno == Libc.EIO:
                StopReadingInput();
                Context.DeliverEof();
                return true;
            case IOStatus.Failed:
                StopReadingInput();
                Context.FailErrno(result.Errno);
                return true;
            default:
                return false;
        }
    }

    protected override void OnStopReading() => StopReadingInput();

    /// <summary>
    /// Stops reading before eof is delivered: in eof mode the port stays open, and a level-triggered
    /// readable end of file must not be reported forever. A descriptor that is also the output stays
    /// selected for writing while something is queued.
    /// </summary>
    private void StopReadingInput()
    {
        if (_inputDone) return;
        _inputDone = true;
        if (_input is not { } input || _inputOffLoop) return;
        if (ReferenceEquals(input, _output) && _outputOnLoop && !_outputDone)
            Context.Select(input, Context.QueueSize > 0 ? PollEvents.Writable : PollEvents.None);
        else
            Context.Deselect(input);
    }
}

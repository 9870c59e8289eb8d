using System.Runtime.InteropServices;
using ReactivePorts.Interop;
using ReactivePorts.Polling;

namespace ReactivePorts.Drivers.Fd;

// Writing: on the loop to a non-blocking descriptor, or off the loop, from the driver queue.
internal abstract partial class DescriptorDriver
{
    private const int SegmentsPerWrite = 64;
    private const short POLLOUT = 4;

    private SafeHandle? _output;
    private bool _outputOnLoop;
    private bool _outputDone;
    private bool _writing;              // an off-loop write is running
    private readonly ReadOnlyMemory<byte>[] _writeBatch = new ReadOnlyMemory<byte>[SegmentsPerWrite];
    private readonly object _writeKey = new();

    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        if (_outputDone || _output is not { } output) return; // failed or closed already: the port said so
        if (_outputOnLoop)
        {
            var result = Context.IO.WriteOrQueue(output, data);
            if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
            return;
        }
        // Queued first, always: the bytes count (busy, close's flush) until the worker wrote them.
        Context.Enqueue(data);
        if (!_writing) WriteOffLoop();
    }

    protected override void OnWritable(SafeHandle handle)
    {
        if (_outputDone || !_outputOnLoop || !ReferenceEquals(handle, _output)) return;
        var result = Context.IO.WriteQueue(handle);
        if (result.Status == IOStatus.Failed) WriteFailed(result.Errno);
    }

    /// <summary>
    /// Writes the front of the driver queue on the thread pool (Erlang's <c>fd_async</c>), under one
    /// key so writes never overlap or reorder. The segments stay queued while they are written and are
    /// dequeued on the loop when the write returns, so the queue size, busy and close's flush count
    /// every byte not yet written.
    /// </summary>
    private void WriteOffLoop()
    {
        var output = _output!;
        var context = Context;
        int count = context.PeekQueue(_writeBatch);
        if (count == 0) return;
        var batch = _writeBatch;
        long written = 0;
        int errno = 0;
        _writing = true;
        context.Async(_writeKey, () =>
        {
            try
            {
                for (int i = 0; i < count && errno == 0; i++)
                {
                    var segment = batch[i];
                    while (!segment.IsEmpty)
                    {
                        var result = context.IO.Write(output, segment.Span);
                        if (result.Status == IOStatus.Failed)
                        {
                            errno = result.Errno;
                            break;
                        }
                        if (result.Status == IOStatus.WouldBlock)
                        {
                            // Made non-blocking by someone else since the start: wait here, off the loop.
                            Libc.PollOne(output, POLLOUT, -1);
                            continue;
                        }
                        segment = segment[(int)result.Bytes..];
                        written += result.Bytes;
                    }
                }
            }
            catch (ObjectDisposedException)
            {
                // The port stopped and closed the descriptor meanwhile (a flush that timed out).
                errno = Libc.EBADF;
            }
        }, _ =>
        {
            _writing = false;
            Array.Clear(batch);
            if (_outputDone) return;
            // Dequeuing can end a close (the queue emptied) or a half-close, which stop the driver.
            Context.Dequeue(Math.Min(written, Context.QueueSize));
            if (IsStopped || _outputDone) return;
            if (errno != 0) WriteFailed(errno);
            else if (Context.QueueSize > 0) WriteOffLoop();
        });
    }

    /// <summary>A write failed for good (EPIPE: the reader went away): writers learn it, reading goes on (as the spawn driver).</summary>
    private void WriteFailed(int errno)
    {
        StopWriting();
        Context.ReportWriteError(errno);
    }

    /// <summary>A direct write from a writer's thread failed (the port already failed every later write).</summary>
    protected override void OnInputFailed(int errno) => StopWriting();

    private void StopWriting()
    {
        if (_outputDone) return;
        _outputDone = true;
        Context.DisableDirectWrites();
        if (_output is not { } output || !_outputOnLoop) return;
        if (!ReferenceEquals(output, _input)) Context.Deselect(output);
        else if (!_inputDone) Context.Select(output, PollEvents.Readable);
    }

    /// <summary>
    /// Half-close: everything written has been written. An owned output of its own is closed, so
    /// the reader sees end of file; a shared or borrowed one is only no longer written (Erlang's fd
    /// driver cannot half-close either).
    /// </summary>
    protected override void OnInputEnd()
    {
        var output = _output;
        StopWriting();
        if (output is not null && !ReferenceEquals(output, _input) && _owned.Remove(output)) output.Dispose();
    }
}

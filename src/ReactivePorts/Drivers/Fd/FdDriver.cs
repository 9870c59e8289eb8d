using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Drivers.Fd;

/// <summary>
/// Erlang's fd driver (<c>fd_start</c>/<c>fd_stop</c>): a port on descriptors that already exist
/// and are usually shared with other processes (a parent's pipes, a terminal), so their file status
/// flags are left alone, with Erlang's one exception: output to a terminal is made non-blocking
/// when the input is a terminal too; when only the output is, the terminal is reopened by name and
/// the new descriptor, whose flags are its own, is written non-blocking instead. Everything else
/// that stays blocking is written off the loop (see <see cref="DescriptorDriver"/>). Stopping
/// restores the flags it changed and closes only what the port owns.
/// </summary>
internal sealed partial class FdDriver : DescriptorDriver
{
    private readonly SafeHandle? _inputHandle;
    private readonly SafeHandle? _outputHandle;
    private readonly bool _owned;
    private SafeHandle? _madeNonBlocking; // the output whose O_NONBLOCK this driver set, cleared at stop
    private SafeHandle? _reopened;        // the terminal reopened by name for non-blocking writes

    internal FdDriver(SafeHandle? input, SafeHandle? output, bool owned)
    {
        _inputHandle = input;
        _outputHandle = output;
        _owned = owned;
    }

    public override string Name => "fd";

    protected override void OnStart()
    {
        if (_inputHandle is not null) Adopt(_inputHandle, _owned);
        if (_outputHandle is not null) Adopt(_outputHandle, _owned);
        var writeTo = _outputHandle;
        bool nonBlocking = false;
        if (_outputHandle is { } output)
        {
            int flags = Context.IO.GetStatusFlags(output); // through the loop's backend: in-memory devices too
            if (flags < 0) throw Libc.IOError("fcntl(F_GETFL)", -flags);
            if ((flags & Libc.O_NONBLOCK) != 0)
            {
                nonBlocking = true; // made non-blocking by its owner: it keeps working as it is
            }
            else if (_inputHandle is { } input && Libc.IsATty(output))
            {
                if (Libc.IsATty(input))
                {
                    int rc = Libc.SetStatusFlags(output, flags | Libc.O_NONBLOCK);
                    if (rc < 0) throw Libc.IOError("fcntl(F_SETFL)", -rc);
                    _madeNonBlocking = output;
                    nonBlocking = true;
                }
                else if (Reopen(output) is { } reopened)
                {
                    _reopened = writeTo = reopened;
                    Adopt(reopened, owned: true);
                    nonBlocking = true;
                }
            }
        }
        StartStreams(_inputHandle, writeTo, nonBlocking);
    }

    /// <summary>
    /// The terminal <paramref name="output"/> points to, opened again (write-only, non-blocking, no
    /// controlling terminal taken), or null when its name cannot be found or opened (Erlang then
    /// gives up on non-blocking output too). Erlang dup2()s the new descriptor over the old number;
    /// here the port simply writes to the new one, so the caller's descriptor table is untouched.
    /// </summary>
    private static SafeHandle? Reopen(SafeHandle output)
    {
        if (Libc.TtyName(output, out _) is not { } name) return null;
        return Libc.TryOpen(name, Libc.O_WRONLY | Libc.O_NOCTTY | Libc.O_NONBLOCK, 0, out var handle) == 0 ? handle : null;
    }

    protected override void OnStop()
    {
        // Restores the flag before the descriptor is let go: the processes it is shared with (the
        // shell that started us, say) get their terminal back as they gave it.
        if (_madeNonBlocking is { } output)
        {
            _madeNonBlocking = null;
            int flags = Context.IO.GetStatusFlags(output);
            if (flags >= 0) Libc.SetStatusFlags(output, flags & ~Libc.O_NONBLOCK);
        }
        base.OnStop();
    }
}

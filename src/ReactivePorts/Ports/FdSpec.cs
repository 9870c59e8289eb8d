using System.Diagnostics.Contracts;
using System.Runtime.InteropServices;
using ReactivePorts.Drivers.Fd;
using ReactivePorts.Interop;

namespace ReactivePorts;

/// <summary>
/// A port on descriptors that already exist (Erlang's <c>{fd, In, Out}</c>): one read from and one
/// written to, possibly the same, or only one of them, with the options of every port
/// (<see cref="PortSpec{TSpec}"/>). Made by <see cref="Port.OpenFd(int, int)"/>,
/// <see cref="Port.OpenFd(SafeHandle, SafeHandle)"/> and <see cref="Port.OpenStandardStreams"/>.
/// </summary>
/// <remarks>
/// The descriptors are usually shared with other processes, so the port leaves their file status
/// flags alone (Erlang's rules): output stays blocking, and is written off the loop, unless it is a
/// terminal and the input is a terminal too (then it is made non-blocking, and made blocking again
/// at close); output to a terminal whose input is not one goes to the terminal reopened by name. A
/// descriptor made non-blocking by its owner is used as it is. Regular files work too (read and
/// written off the loop, which cannot watch them). The port has no process: no os pid, no exit
/// status. By default the port does not own the descriptors: closing it leaves them open, and a new
/// port can be opened on them (<see cref="WithOwnership"/> changes that).
/// </remarks>
public sealed record FdSpec : PortSpec<FdSpec>
{
    private readonly int _inputFd;
    private readonly int _outputFd;
    private readonly SafeHandle? _input;
    private readonly SafeHandle? _output;
    private readonly bool _byHandle;

    internal FdSpec(int inputFd, int outputFd)
    {
        _inputFd = inputFd;
        _outputFd = outputFd;
    }

    internal FdSpec(SafeHandle? input, SafeHandle? output)
    {
        _input = input;
        _output = output;
        _byHandle = true;
        _inputFd = input is null ? -1 : (int)input.DangerousGetHandle();
        _outputFd = output is null ? -1 : (int)output.DangerousGetHandle();
    }

    private bool Owned { get; init; }

    /// <summary>Moves <see cref="Console.Out"/> to standard error when the port opens (see <see cref="Port.OpenStandardStreams"/>).</summary>
    internal bool MovesConsoleOut { get; init; }

    /// <summary>The name shown in port info and errors, as Erlang names fd ports: <c>"0/1"</c> (<c>-</c> for a missing side).</summary>
    public override string Name => $"{Side(_inputFd)}/{Side(_outputFd)}";

    private static string Side(int fd) => fd < 0 ? "-" : fd.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the port owns the descriptors: closing it then closes them (disposes the handles). Off
    /// by default, as in Erlang: the descriptors stay open, and the port never disposes handles it
    /// was given.
    /// </summary>
    [Pure]
    public FdSpec WithOwnership(bool owned = true) => this with { Owned = owned };

    /// <summary>Opens the port on the descriptors; the driver starts on the port's loop.</summary>
    /// <exception cref="IOException">A descriptor is not open (EBADF, in <see cref="Exception.HResult"/>).</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public override Port Open()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Fd ports run on Linux only.");
        Options.Validate();
        var loop = LoopToOpenOn();
        SafeHandle? input = _input, output = _output;
        if (!_byHandle)
        {
            if (_inputFd >= 0) input = new SafeFdHandle(_inputFd, ownsHandle: Owned);
            output = _outputFd < 0 ? null : _outputFd == _inputFd ? input : new SafeFdHandle(_outputFd, ownsHandle: Owned);
        }
        else if (input is not null && output is not null && _inputFd == _outputFd)
        {
            output = input; // one descriptor both ways: watched once
        }
        foreach (var (handle, fd) in (ReadOnlySpan<(SafeHandle?, int)>)[(input, _inputFd), (output, _outputFd)])
        {
            if (handle is not null && Drivers.DescriptorIO.GetStatusFlags(loop.Backend, handle) is < 0 and var rc)
                throw Libc.IOError($"fd {fd}: fcntl(F_GETFL)", -rc);
        }
        if (MovesConsoleOut) StandardStreams.MoveConsoleOut();
        var options = Options with { HasInput = output is not null, HasOutput = input is not null };
        var port = new Port(loop, new FdDriver(input, output, Owned), options, Name);
        port.Start();
        return port;
    }
}

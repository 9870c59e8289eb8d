using ReactivePorts.Framing;

namespace ReactivePorts.Drivers;

/// <summary>Where a driver port delivers what happens, in order, on the loop thread (the public <see cref="Port"/> implements it).</summary>
internal interface IPortSink
{
    /// <summary>The driver's start is complete.</summary>
    void OnStarted();

    /// <summary>One packet.</summary>
    void OnPacket(Packet packet);

    /// <summary>A chunk of the child's standard error (when captured apart).</summary>
    void OnStandardError(ReadOnlyMemory<byte> chunk);

    /// <summary>Eof mode: end of output, after every packet and the exit status; the port stays open.</summary>
    void OnEof();

    /// <summary>The output ended inside a frame (a diagnostic, in order, before the exit status; the port goes on to end as usual).</summary>
    void OnTruncatedFrame(TruncatedFrameException frame);

    /// <summary>The child was reaped: its status is known (any time, before or after eof, also after close).</summary>
    void OnExitStatus(ExitStatus status);

    /// <summary>The exit event: the child's exit status, after eof unless the port was told not to wait for it.</summary>
    void OnExited(ExitStatus status);

    /// <summary>A write failed (for example EPIPE after the child went away); reported once, the port keeps reading.</summary>
    void OnWriteFailed(Exception error);

    /// <summary>The port is closed: <paramref name="error"/> is null for a normal end, else why it failed.</summary>
    void OnClosed(Exception? error);

    /// <summary>The port is torn down: the flush (if any) is over and its descriptors are released (after <see cref="OnClosed"/>).</summary>
    void OnFinished();

    /// <summary>The busy state changed.</summary>
    void OnBusyChanged(bool busy);
}

using ReactivePorts.Interop;

namespace ReactivePorts;

/// <summary>
/// How a child process ended: it exited with a code, it was killed by a signal, or its status is
/// unknown because something else reaped it first (the .NET runtime reaps every child when it
/// runs as PID 1 or when SIGCHLD is ignored).
/// </summary>
/// <remarks>
/// <see cref="ErlangStatus"/> folds the first two into one number as Erlang's <c>{exit_status, N}</c>
/// does: the exit code, or 128 plus the signal number. The default value is <see cref="Unknown"/>.
/// </remarks>
public readonly struct ExitStatus : IEquatable<ExitStatus>
{
    private enum Kind : byte { Unknown, Exited, Signaled }

    private readonly Kind _kind;
    private readonly bool _coreDumped;
    private readonly int _value;

    private ExitStatus(Kind kind, int value, bool coreDumped)
    {
        _kind = kind;
        _value = value;
        _coreDumped = coreDumped;
    }

    /// <summary>The status of a child that exited but whose status could not be collected (ECHILD).</summary>
    public static ExitStatus Unknown => default;

    /// <summary>A process that exited with <paramref name="code"/> (for drivers that run a process of their own and report it).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not 0–255.</exception>
    public static ExitStatus Exited(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 255);
        return new(Kind.Exited, code, coreDumped: false);
    }

    /// <summary>A process killed by <paramref name="signal"/> (for drivers that run a process of their own and report it).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signal"/> is not 1–127.</exception>
    public static ExitStatus Signaled(int signal, bool coreDumped = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(signal, 127);
        return new(Kind.Signaled, signal, coreDumped);
    }

    /// <summary>The exit code (0–255) if the process exited normally, otherwise null.</summary>
    public int? ExitCode => _kind == Kind.Exited ? _value : null;

    /// <summary>The number of the signal that killed the process, otherwise null.</summary>
    public int? Signal => _kind == Kind.Signaled ? _value : null;

    /// <summary>The name of <see cref="Signal"/> ("SIGKILL"), or null.</summary>
    public string? SignalName => _kind == Kind.Signaled ? Libc.SignalName(_value) : null;

    /// <summary>Whether the kernel wrote a core dump when the signal killed the process.</summary>
    public bool CoreDumped => _coreDumped;

    /// <summary>Whether the process exited but nobody could tell how.</summary>
    public bool IsUnknown => _kind == Kind.Unknown;

    /// <summary>Whether the process exited with code 0.</summary>
    public bool Success => _kind == Kind.Exited && _value == 0;

    /// <summary>
    /// The status as Erlang reports it: the exit code, or 128 plus the signal number
    /// (137 for SIGKILL). -1 when the status is unknown.
    /// </summary>
    public int ErlangStatus => _kind switch
    {
        Kind.Exited => _value,
        Kind.Signaled => 128 + _value,
        _ => -1,
    };

    /// <summary>"exit code 7", "killed by signal 9 (SIGKILL)", "killed by signal 6 (SIGABRT), core dumped" or "exited, status unknown".</summary>
    public override string ToString() => _kind switch
    {
        Kind.Exited => $"exit code {_value}",
        Kind.Signaled => $"killed by signal {_value}{(SignalName is { } name ? $" ({name})" : "")}{(_coreDumped ? ", core dumped" : "")}",
        _ => "exited, status unknown",
    };

    /// <inheritdoc/>
    public bool Equals(ExitStatus other) => _kind == other._kind && _value == other._value && _coreDumped == other._coreDumped;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ExitStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_kind, _value, _coreDumped);

    /// <summary>Whether two statuses are the same.</summary>
    public static bool operator ==(ExitStatus left, ExitStatus right) => left.Equals(right);

    /// <summary>Whether two statuses differ.</summary>
    public static bool operator !=(ExitStatus left, ExitStatus right) => !left.Equals(right);
}

namespace ReactivePorts.Testing.Virtual;

/// <summary>Which call on a virtual device a fault strikes: a read or a write made by the port.</summary>
public enum FaultOperation
{
    /// <summary>A read(2) by the port.</summary>
    Read,

    /// <summary>A write(2) by the port.</summary>
    Write,
}

/// <summary>
/// What happens to one read or write the port makes on a virtual device: nothing, a short transfer
/// (at most <see cref="MaxBytes"/> bytes), or a failure with an errno (<see cref="Errno"/>: EAGAIN
/// 11, EINTR 4, EPIPE 32...).
/// </summary>
public readonly struct Fault : IEquatable<Fault>
{
    /// <summary>EINTR: the call was interrupted (the port retries it).</summary>
    public const int EINTR = 4;

    /// <summary>EAGAIN: nothing can be transferred now (the port waits for the next readiness).</summary>
    public const int EAGAIN = 11;

    /// <summary>EPIPE: the reading end went away (a write fails for good).</summary>
    public const int EPIPE = 32;

    private Fault(int? maxBytes, int? errno)
    {
        MaxBytes = maxBytes;
        Errno = errno;
    }

    /// <summary>No fault: the call does what the device allows.</summary>
    public static Fault None => default;

    /// <summary>A short read or write: at most <paramref name="maxBytes"/> bytes move.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is not positive.</exception>
    public static Fault Short(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return new Fault(maxBytes, null);
    }

    /// <summary>The call fails with <paramref name="errno"/> and moves nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="errno"/> is not positive.</exception>
    public static Fault Error(int errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        return new Fault(null, errno);
    }

    /// <summary>The most bytes the call moves, or null for no limit.</summary>
    public int? MaxBytes { get; }

    /// <summary>The errno the call fails with, or null when it does not fail.</summary>
    public int? Errno { get; }

    /// <summary>Whether this is <see cref="None"/>.</summary>
    public bool IsNone => MaxBytes is null && Errno is null;

    /// <inheritdoc/>
    public bool Equals(Fault other) => MaxBytes == other.MaxBytes && Errno == other.Errno;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fault other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MaxBytes, Errno);

    /// <summary>Whether two faults are the same.</summary>
    public static bool operator ==(Fault left, Fault right) => left.Equals(right);

    /// <summary>Whether two faults differ.</summary>
    public static bool operator !=(Fault left, Fault right) => !left.Equals(right);

    /// <summary>"none", "short 3", "EAGAIN"...</summary>
    public override string ToString() => Errno switch
    {
        EINTR => "EINTR",
        EAGAIN => "EAGAIN",
        EPIPE => "EPIPE",
        { } errno => $"errno {errno}",
        null => MaxBytes is { } max ? $"short {max}" : "none",
    };
}

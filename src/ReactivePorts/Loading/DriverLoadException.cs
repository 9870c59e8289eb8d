namespace ReactivePorts.Drivers;

/// <summary>
/// A load, unload, reload or open of a loaded driver failed: <see cref="Error"/> says why (see
/// <see cref="DriverLoader.FormatError"/>), the message names the driver, the file and the cause.
/// Loads report it in <see cref="DriverResult.Error"/> rather than throwing (Erlang's
/// <c>{error, Reason}</c>); <see cref="DriverResult.ThrowIfFailed"/> throws it.
/// </summary>
public sealed class DriverLoadException : PortException
{
    internal DriverLoadException(DriverError error, string driverName, string? path, string? detail = null, Exception? innerException = null)
        : base(Describe(error, driverName, path, detail, innerException), innerException)
    {
        Error = error;
        DriverName = driverName;
        Path = path;
    }

    /// <summary>Why it failed.</summary>
    public DriverError Error { get; }

    /// <summary>The driver's name as asked for.</summary>
    public string DriverName { get; }

    /// <summary>The assembly file, when a file was involved.</summary>
    public string? Path { get; }

    private static string Describe(DriverError error, string name, string? path, string? detail, Exception? inner)
    {
        string where = path is null ? "" : $" from '{path}'";
        string what = detail ?? (inner is null ? "" : $"{inner.GetType().Name}: {inner.Message}");
        return $"Driver '{name}'{where}: {DriverLoader.FormatError(error)}{(what.Length == 0 ? "." : $" ({what}).")}";
    }
}

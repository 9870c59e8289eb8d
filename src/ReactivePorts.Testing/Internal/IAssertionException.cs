namespace ReactivePorts.Testing;

/// <summary>
/// Marker recognised by name (any namespace) by test frameworks such as xUnit.net v3, which
/// then report the failure as an assertion failure rather than an unexpected exception.
/// </summary>
internal interface IAssertionException;

namespace ReactivePorts.Drivers;

/// <summary>
/// Marks a class of a plugin assembly as a driver that <see cref="DriverOwner.TryLoad"/> can load
/// by <see cref="Name"/>. The class must be public, not abstract, derive from
/// <see cref="PortDriver"/>, have a public parameterless constructor, and report the same name
/// from <see cref="PortDriver.Name"/> (Erlang checks a driver's own name against the name it was
/// loaded by, too). Loading constructs one instance to check it — that constructor is the driver's
/// <c>init</c>: a constructor that throws fails the load — and each port opened on the driver gets
/// an instance of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LoadableDriverAttribute : Attribute
{
    /// <summary>Declares the class as the driver loaded by <paramref name="name"/>.</summary>
    /// <param name="name">The name the driver is loaded, opened and unloaded by.</param>
    public LoadableDriverAttribute(string name) => Name = name;

    /// <summary>The name the driver is loaded by.</summary>
    public string Name { get; }

    /// <summary>
    /// Whether the driver can never be unloaded once loaded (Erlang's <c>driver_lock_driver</c>): a
    /// driver that keeps state the process cannot lose (a native library, a global handle) says so
    /// here. A permanent driver has no owners; unloading or reloading it is refused.
    /// </summary>
    public bool Permanent { get; init; }
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Drivers;

/// <summary>
/// Loads one driver from a plugin assembly into a new collectible context and checks it: the file,
/// the image, the declared driver, its class, its constructor (init), its API version and its own
/// name. Any failure unloads the context again, so nothing is left half-loaded.
/// </summary>
internal static class DriverAssembly
{
    internal const string TrimMessage = "Driver assemblies are loaded and their drivers found and constructed by reflection.";

    [RequiresUnreferencedCode(TrimMessage)]
    public static DriverVersion Load(string path, string name)
    {
        if (!File.Exists(path))
            throw new DriverLoadException(DriverError.FileNotFound, name, path, Directory.Exists(path) ? "it is a directory" : "no such file");
        var context = new DriverLoadContext(name, path);
        try
        {
            var version = Inspect(context, path, name);
            context.Version = version;
            return version;
        }
        catch
        {
            context.Unload(); // nothing half-loaded: the context goes, and with it whatever it loaded
            throw;
        }
    }

    [RequiresUnreferencedCode(TrimMessage)]
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the plugin's types off the caller's frame
    private static DriverVersion Inspect(DriverLoadContext context, string path, string name)
    {
        Assembly assembly;
        try
        {
            // From a copy in memory: the file can be replaced in place for the next reload.
            using var file = File.OpenRead(path);
            assembly = context.LoadFromStream(file);
        }
        catch (BadImageFormatException ex)
        {
            throw new DriverLoadException(DriverError.NotAnAssembly, name, path, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FileLoadException)
        {
            throw new DriverLoadException(DriverError.LoadFailed, name, path, null, ex);
        }

        var type = FindDeclared(assembly, path, name, out bool permanent);
        if (!typeof(PortDriver).IsAssignableFrom(type) || type.IsAbstract || type.ContainsGenericParameters)
            throw new DriverLoadException(DriverError.InvalidDriver, name, path, $"{type.FullName} is not a concrete class derived from {typeof(PortDriver).FullName}");
        var constructor = type.GetConstructor(Type.EmptyTypes)
            ?? throw new DriverLoadException(DriverError.InvalidDriver, name, path, $"{type.FullName} has no public parameterless constructor");
        Func<PortDriver> create = () => (PortDriver)constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, null, null);

        PortDriver probe;
        string ownName;
        Version api;
        try
        {
            probe = create();
            ownName = probe.Name;
            api = probe.ApiVersion;
        }
        catch (Exception ex)
        {
            // The plugin's init threw: whatever it was, the load fails with it.
            throw new DriverLoadException(DriverError.InitFailed, name, path, null, ex);
        }
        var host = DriverApi.Version;
        if (api is null || api.Major != host.Major || api.Minor > host.Minor)
            throw new DriverLoadException(DriverError.IncorrectApiVersion, name, path, $"it was written for driver API {api?.ToString() ?? "(none)"}, this library implements {host}");
        if (ownName != name)
            throw new DriverLoadException(DriverError.NameMismatch, name, path, $"{type.FullName} is declared as '{name}' but calls itself '{ownName}'");
        return new DriverVersion(context, create, permanent, path, assembly.FullName ?? path);
    }

    [RequiresUnreferencedCode(TrimMessage)]
    private static Type FindDeclared(Assembly assembly, string path, string name, out bool permanent)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException or BadImageFormatException)
        {
            throw new DriverLoadException(DriverError.LoadFailed, name, path, null, ex);
        }
        var declared = new List<string>();
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<LoadableDriverAttribute>(inherit: false) is not { } attribute) continue;
            if (attribute.Name == name)
            {
                permanent = attribute.Permanent;
                return type;
            }
            declared.Add(attribute.Name);
        }
        throw new DriverLoadException(DriverError.DriverNotFound, name, path,
            declared.Count == 0 ? $"{assembly.GetName().Name} declares no driver ([LoadableDriver])" : $"it declares {string.Join(", ", declared.Order().Select(d => $"'{d}'"))}");
    }
}

using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

// Not ReactivePorts.Tests.Architecture: that namespace would hide System.Runtime.InteropServices.Architecture
// (Architecture.X64) from the other test namespaces.
namespace ReactivePorts.Tests.Layering;

/// <summary>A top-level type of the assembly and the source files that declare it (relative, '/'-separated).</summary>
internal sealed record PlacedType(string FullName, string Name, ImmutableArray<string> Files)
{
    /// <summary>The file named after the type (<c>Port.cs</c> before <c>Port.Write.cs</c>), else the first.</summary>
    public string Primary => Files.OrderBy(f => Path.GetFileNameWithoutExtension(f) == Name ? 0 : 1).ThenBy(f => f.Length).First();

    /// <summary>For messages: <c>Ports/ExitStatus</c>.</summary>
    public string Display => Path.GetDirectoryName(Primary) is { Length: > 0 } dir ? $"{dir}/{Name}" : Name;
}

/// <summary>
/// Code in <see cref="File"/> (relative to the source folder), written in top-level type <see cref="User"/>,
/// uses top-level type <see cref="Target"/> of assembly <see cref="TargetAssembly"/> (full metadata names).
/// </summary>
internal sealed record TypeUse(string File, string User, string Target, string TargetAssembly);

/// <summary>A method declared with <c>DllImport</c> (PInvokeImpl) or <c>[LibraryImport]</c>.</summary>
internal sealed record NativeMethod(string Type, string Method, ImmutableArray<string> Files);

/// <summary>
/// What an assembly's metadata, IL and portable PDB say about its types: the source files that declare
/// each top-level type and every use of another type, attributed to the source file that holds it.
/// A type's place comes from its methods' documents in the PDB (a use in a method body comes from the
/// document of the sequence point before it); types without method bodies (enums, interfaces) are
/// found by scanning the sources for their declaration. Nested and compiler-generated types (lambda
/// closures, state machines, <c>&lt;&gt;c</c>) count as their outermost declaring type. Uses seen:
/// base types, interfaces, constraints, attributes, field, property, event and method signatures,
/// locals, catch clauses and every type, method or field token in IL. Invisible: <c>nameof</c>,
/// <c>cref</c>s, attribute arguments, constants inlined from other types.
/// </summary>
internal sealed partial class AssemblyModel
{
    public required string AssemblyName { get; init; }
    public required IReadOnlyDictionary<string, PlacedType> Types { get; init; }
    public required IReadOnlyList<TypeUse> Uses { get; init; }
    public required IReadOnlyList<NativeMethod> NativeMethods { get; init; }
    /// <summary>Top-level types that are not compiler-generated but have no source file under the folder.</summary>
    public required IReadOnlyList<string> Unplaced { get; init; }

    public PlacedType? PlaceOf(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return Types.GetValueOrDefault(type.FullName!);
    }

    /// <summary>The folder holding ReactivePorts.sln, found upwards from <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReactivePorts.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ReactivePorts.sln in {start} or above it.");
    }

    /// <summary>Reads <paramref name="assembly"/> and its PDB; <paramref name="sourceFolder"/> is relative to
    /// <paramref name="repositoryRoot"/> (<c>src/ReactivePorts</c>); files outside it, or in its bin/obj, are not sources.</summary>
    public static AssemblyModel Load(Assembly assembly, string repositoryRoot, string sourceFolder)
    {
        string path = assembly.Location;
        using var pe = new PEReader(File.OpenRead(path));
        if (!pe.TryOpenAssociatedPortablePdb(path, p => File.Exists(p) ? File.OpenRead(p) : null, out var provider, out _) || provider is null)
            throw new InvalidOperationException($"No portable PDB for {path}: the layering test needs it to know which file declares what.");
        using (provider)
            return new Reader(pe, provider.GetMetadataReader(), Path.Combine(repositoryRoot, sourceFolder), sourceFolder).Read();
    }

    // `Name`1` → Name; a file-local type `<File>F0A1B2__Name` → Name.
    internal static string DisplayName(string metadataName) => FileLocalPrefix().Replace(metadataName.Split('`')[0], "");

    [GeneratedRegex(@"^<[^>]*>F[0-9A-F]+__")]
    private static partial Regex FileLocalPrefix();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?:(?:class|struct)\s+)?(\w+)|\bdelegate\s+[\w<>\[\],.?\s]+?\s(\w+)\s*[<(]")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    /// <summary>"Namespace.Name" → files, from the sources' text: the fallback for types with no method bodies.</summary>
    private static Dictionary<string, List<string>> ScanDeclarations(string sourceDirectory)
    {
        var found = new Dictionary<string, List<string>>();
        foreach (string file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(sourceDirectory, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            string text = LineComment().Replace(File.ReadAllText(file), "");
            string ns = NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value + "." : "";
            foreach (Match declaration in TypeDeclaration().Matches(text))
            {
                string name = declaration.Groups[1].Success ? declaration.Groups[1].Value : declaration.Groups[2].Value;
                if (!found.TryGetValue(ns + name, out var files)) found[ns + name] = files = [];
                if (!files.Contains(relative)) files.Add(relative);
            }
        }
        return found;
    }
}

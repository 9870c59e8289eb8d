using System.Text;
using ReactivePorts.TestSupport;

namespace ReactivePorts.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md compiles and runs: the blocks are made into one program
/// (one namespace each, see <see cref="ReadmeCodeBlock"/>) against this build's assemblies, and each
/// block runs in a process of its own; a block that declares xunit tests has them run too.
/// </summary>
public sealed class ReadmeCodeBlocksTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private static readonly string s_readme = Path.Combine(DotnetCli.RepositoryRoot(), "README.md");
    private static readonly Lazy<List<ReadmeCodeBlock>> s_blocks = new(() => ReadmeCodeBlock.Parse(File.ReadAllText(s_readme)));
    private static readonly Lazy<Task<(string Program, Dictionary<int, string> Errors)>> s_program = new(BuildProgramAsync);

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        foreach (var block in s_blocks.Value) data.Add(block.Number);
        return data;
    }

    [Fact]
    public void Readme_HasCodeBlocks()
    {
        Assert.True(s_blocks.Value.Count >= 5, $"{s_readme} has {s_blocks.Value.Count} csharp blocks");
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Block_CompilesAndRuns(int number)
    {
        var block = s_blocks.Value[number - 1];
        var (program, errors) = await s_program.Value;
        Assert.False(errors.ContainsKey(number), $"README.md block {number} (line {block.Line}) does not compile:\n{errors.GetValueOrDefault(number)}");
        var (status, output) = await DotnetCli.RunAsync(Path.GetDirectoryName(s_readme)!, RunTimeout, program, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(status.Success, $"README.md block {number} (line {block.Line}) ended with {status}:\n{output}");
    }

    private static async Task<(string, Dictionary<int, string>)> BuildProgramAsync()
    {
        string dir = Directory.CreateTempSubdirectory("rp-readme-").FullName;
        var blocks = s_blocks.Value;
        foreach (var block in blocks) File.WriteAllText(Path.Combine(dir, $"Block{block.Number}.cs"), block.ToSource());
        File.WriteAllText(Path.Combine(dir, "Program.cs"), """
            using System.Reflection;

            // Runs README block N (its statements, then any [Fact] methods it declares).
            string ns = "ReadmeBlock" + args[0];
            var assembly = typeof(Program).Assembly;
            var block = assembly.GetType(ns + ".Block") ?? throw new InvalidOperationException($"no block {args[0]}");
            await (Task)block.GetMethod("RunAsync")!.Invoke(null, null)!;
            foreach (var type in assembly.GetTypes().Where(t => t.Namespace == ns && t.IsClass && !t.IsAbstract))
            {
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "FactAttribute")))
                {
                    object instance = Activator.CreateInstance(type)!;
                    if (method.Invoke(instance, null) is Task task) await task;
                    (instance as IDisposable)?.Dispose();
                    Console.WriteLine($"fact {type.Name}.{method.Name} passed");
                }
            }
            """);
        // Every assembly a block may use: this test project's output, less the test machinery.
        var references = new StringBuilder();
        foreach (var dll in Directory.GetFiles(AppContext.BaseDirectory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(dll);
            if (name.StartsWith("testhost", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.VisualStudio", StringComparison.Ordinal) || name.StartsWith("xunit.runner", StringComparison.Ordinal)
                || name.StartsWith("xunit.execution", StringComparison.Ordinal) || name.StartsWith("Microsoft.Testing", StringComparison.Ordinal)
                || name.StartsWith("NuGet", StringComparison.Ordinal) || name == typeof(ReadmeCodeBlocksTests).Assembly.GetName().Name) continue;
            references.AppendLine($"    <Reference Include=\"{name}\" HintPath=\"{dll}\" />");
        }
        File.WriteAllText(Path.Combine(dir, "ReadmeBlocks.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);CS8321;CS0168;CS0219;CS1998;CS4014</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <!-- As in a test project: blocks that show tests use [Fact] without a using. -->
                <Using Include="Xunit" />
            {references}  </ItemGroup>
            </Project>
            """);
        // A block that does not compile is left out of the next build (and fails its own test), so one
        // broken block does not hide whether the others run. (Syntax errors hide the semantic ones of
        // other files: it may take a few rounds.)
        string output = Path.Combine(dir, "out");
        var errors = new Dictionary<int, string>();
        for (int attempt = 0; ; attempt++)
        {
            var (status, log) = await DotnetCli.RunAsync(dir, BuildTimeout, "build", "ReadmeBlocks.csproj", "-c", "Release", "-o", output, "-nologo", "-clp:ErrorsOnly");
            if (status.Success) return (Path.Combine(output, "ReadmeBlocks.dll"), errors);
            var failing = System.Text.RegularExpressions.Regex.Matches(log, @"Block(\d+)\.cs\(\d+,\d+\): error [^\n]*")
                .GroupBy(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            if (failing.Count == 0 || attempt >= s_blocks.Value.Count)
                throw new InvalidOperationException($"README.md's code blocks do not compile (generated sources in {dir}):\n{log}");
            foreach (var group in failing)
            {
                errors[group.Key] = string.Join("\n", group.Select(m => m.Value).Distinct());
                File.Move(Path.Combine(dir, $"Block{group.Key}.cs"), Path.Combine(dir, $"Block{group.Key}.cs.excluded"));
            }
        }
    }
}

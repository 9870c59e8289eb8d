using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using ReactivePorts.TestSupport;

namespace ReactivePorts.Tests.Packaging;

/// <summary>
/// What users install is what was tested: the packages are packed from this build, installed from a
/// local folder feed into a fresh console project outside the repository, and that project runs.
/// </summary>
public sealed class PackageInstallTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Packages = ["ReactivePorts", "ReactivePorts.Framing", "ReactivePorts.Testing", "ReactivePorts.Akka"];

    private readonly string _root = DotnetCli.RepositoryRoot();
    private readonly string _work = Directory.CreateTempSubdirectory("rp-pack-").FullName;
    // A version of its own, so the NuGet cache never serves an older package of the same number.
    private readonly string _version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Packages)
        {
            var installed = Path.Combine(cache, id.ToLowerInvariant(), _version);
            if (Directory.Exists(installed)) Directory.Delete(installed, recursive: true);
        }
    }

    private static async Task<string> Dotnet(string workingDirectory, params string[] arguments)
    {
        var (status, output) = await DotnetCli.RunAsync(workingDirectory, StepTimeout, arguments);
        Assert.True(status.Success, $"dotnet {string.Join(' ', arguments)} ended with {status}:\n{output}");
        return output;
    }

    [Fact(Timeout = 600000)]
    public async Task Pack_InstallFromLocalFeed_FreshConsoleProjectRunsAPort()
    {
        string feed = Path.Combine(_work, "feed");
        // The build CI has just made (Release), packed as it is.
        await Dotnet(_root, "pack", "ReactivePorts.sln", "-c", "Release", "--no-build", "-o", feed, $"-p:PackageVersion={_version}");
        foreach (var id in Packages)
        {
            string nupkg = Path.Combine(feed, $"{id}.{_version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not produced");
            AssertPackageContents(nupkg, id);
            AssertSymbolsEmbedSources(Path.Combine(feed, $"{id}.{_version}.snupkg"), id);
        }

        string app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ReactivePorts" Version="{_version}" />
                <PackageReference Include="ReactivePorts.Testing" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Reactive.Linq;
            using System.Reactive.Threading.Tasks;
            using System.Text;
            using ReactivePorts;
            using ReactivePorts.Framing;
            using ReactivePorts.Testing;

            // {packet,4} through cat: three packets out, the same three back, then exit status 0.
            await using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4)).Open();
            var echoed = port.Output.Select(p => Encoding.UTF8.GetString(p.Payload.Span)).ToList().ToTask();
            foreach (var word in new[] { "one", "two", "three" }) await port.WriteAsync(Encoding.UTF8.GetBytes(word));
            port.CompleteInput();
            var words = await echoed.WaitAsync(TimeSpan.FromSeconds(30));
            var status = await port.Exit.WaitAsync(TimeSpan.FromSeconds(30));
            // And the TestScheduler from the testing package.
            var clock = new TestScheduler();
            var ticks = clock.Start(() => Observable.Interval(TimeSpan.FromTicks(100), clock).Take(2));
            Console.WriteLine($"packets: {string.Join(",", words)}; exit: {status.ExitCode}; virtual: {ticks.Messages.Count}");
            return words.SequenceEqual(["one", "two", "three"]) && status.Success && ticks.Messages.Count == 3 ? 0 : 1;
            """);
        string output = await Dotnet(app, "run", "-c", "Release");
        Assert.Contains("packets: one,two,three; exit: 0; virtual: 3", output);
    }

    private static void AssertPackageContents(string nupkg, string id)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names); // XML docs
        Assert.Contains("README.md", names);
        Assert.Contains("LICENSE", names);
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
        Assert.Contains("<readme>README.md</readme>", text);
    }

    private static void AssertSymbolsEmbedSources(string snupkg, string id)
    {
        Assert.True(File.Exists(snupkg), $"{snupkg} was not produced");
        using var zip = ZipFile.OpenRead(snupkg);
        var pdb = zip.GetEntry($"lib/net10.0/{id}.pdb");
        Assert.NotNull(pdb);
        using var copy = new MemoryStream();
        using (var stream = pdb.Open()) stream.CopyTo(copy);
        copy.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(copy);
        var reader = provider.GetMetadataReader();
        var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        int documents = reader.Documents.Count;
        int embedded = reader.CustomDebugInformation.Count(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == embeddedSource);
        Assert.True(documents > 0 && embedded >= documents, $"{id}.pdb embeds {embedded} of {documents} sources");
    }
}

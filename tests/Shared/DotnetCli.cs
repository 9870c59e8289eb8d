using System.Text;

namespace ReactivePorts.TestSupport;

/// <summary>
/// The dotnet CLI as a test runs it (linked into the test projects that pack, build or run programs):
/// through a port, with its output and standard error collected, killed when it runs over.
/// </summary>
internal static class DotnetCli
{
    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>; the child is killed after <paramref name="timeout"/>.</summary>
    public static async Task<(ExitStatus Status, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var result = await Port.SpawnExecutable("dotnet").WithPathSearch().WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironment("DOTNET_NOLOGO", "1").WithEnvironment("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .ExecuteBufferedAsync(cancellationToken: cancel.Token);
        return (result.Status, Encoding.UTF8.GetString(result.StandardOutput) + Encoding.UTF8.GetString(result.StandardError));
    }

    /// <summary>The folder holding ReactivePorts.sln, at or above this test's output.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReactivePorts.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ReactivePorts.sln in {AppContext.BaseDirectory} or above it.");
    }
}

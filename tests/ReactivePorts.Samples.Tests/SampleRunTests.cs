using System.Diagnostics;

namespace ReactivePorts.Samples.Tests;

/// <summary>The console samples, run as a user runs them (their built dll, output not a terminal): they finish by themselves and print what their README shows.</summary>
public sealed class SampleRunTests
{
    [Fact(Timeout = 60_000)]
    public async Task LogLevels_PrintsSlidingWindowsAnAlertAndTotals_ThenExits()
    {
        var (exitCode, output) = await RunAsync("LogLevels");
        Assert.True(exitCode == 0, output);
        Assert.Matches(@"last 1 s: DEBUG +\d+  INFO +\d+  WARN +\d+  ERROR +\d+", output);
        Assert.Contains("<-- ALERT", output); // the outage
        var totals = System.Text.RegularExpressions.Regex.Match(output, @"totals: DEBUG (\d+), INFO (\d+), WARN (\d+), ERROR (\d+)");
        Assert.True(totals.Success, output);
        Assert.Equal(121, Enumerable.Range(1, 4).Sum(i => int.Parse(totals.Groups[i].Value))); // 120 lines and the shutdown line
        Assert.Contains("most frequent error", output);
    }

    [Fact(Timeout = 60_000)]
    public async Task PortsTop_WithoutATerminal_PrintsOneTableOfItsPorts_ThenExits()
    {
        var (exitCode, output) = await RunAsync("PortsTop");
        Assert.True(exitCode == 0, output);
        Assert.Matches(@"ports: \d+ open", output);
        Assert.Contains("head -c 20000000 /dev/zero", output);
        Assert.Matches(@"sleep 3600 +spawn +\d+ +busy", output);
        Assert.Contains("exit code 0", output); // the bulk reader is done by then
    }

    [Fact]
    public async Task PortsTop_BadArguments_PrintsUsage()
    {
        var (exitCode, output) = await RunAsync("PortsTop", "--duration", "soon");
        Assert.Equal(2, exitCode);
        Assert.Contains("usage: PortsTop", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string sample, params string[] args)
    {
        string dll = SampleDll(sample);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} did not finish by itself: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>samples/NAME/bin/CONFIGURATION/net10.0/NAME.dll, in the configuration this test was built in.</summary>
    private static string SampleDll(string sample)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = dir.Name, configuration = dir.Parent!.Name;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReactivePorts.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        string dll = Path.Combine(dir.FullName, "samples", sample, "bin", configuration, framework, sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        return dll;
    }
}

using System.Diagnostics;
using System.Text;

namespace ReactivePorts.Tests.Erlang;

/// <summary>
/// Runs an Erlang expression under the real <c>erl</c> (erlang-base) and returns what it printed, so a
/// test can compare Erlang's transcript with the library's. A missing <c>erl</c> fails the test (the
/// start throws); it never skips.
/// </summary>
internal static class Erl
{
    /// <summary>Where erl is looked for: /usr/bin/erl, else the first erl on PATH.</summary>
    internal static string Program { get; } = Locate();

    /// <summary>
    /// Evaluates <paramref name="expression"/> with <c>erl -noshell -eval</c> (it must end with
    /// <c>halt()</c>), started with <paramref name="ignoredSignals"/> ignored (as <c>nohup</c> ignores
    /// HUP: <c>sh -c 'trap "" HUP; exec erl …'</c>), and returns its standard output.
    /// </summary>
    /// <exception cref="TimeoutException">erl did not finish within <paramref name="timeout"/> (it is killed).</exception>
    /// <exception cref="InvalidOperationException">erl exited with a non-zero status (stderr is in the message).</exception>
    internal static async Task<string> Run(string expression, TimeSpan? timeout = null, params string[] ignoredSignals)
    {
        string trap = ignoredSignals.Length == 0 ? "" : $"trap '' {string.Join(' ', ignoredSignals)}; ";
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // The expression travels as $1, untouched by the shell.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{trap}exec \"$0\" -noshell -eval \"$1\"");
        start.ArgumentList.Add(Program);
        start.ArgumentList.Add(expression);
        using var erl = Process.Start(start) ?? throw new InvalidOperationException("erl did not start");
        erl.StandardInput.Close();
        var stdout = erl.StandardOutput.ReadToEndAsync();
        var stderr = erl.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await erl.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: kill erl so the test does not leave it behind, and say so.
            erl.Kill(entireProcessTree: true);
            throw new TimeoutException($"erl did not finish: {expression}");
        }
        string output = await stdout, errors = await stderr;
        if (erl.ExitCode != 0) throw new InvalidOperationException($"erl exited with {erl.ExitCode}: {errors}");
        return output;
    }

    private static string Locate()
    {
        if (File.Exists("/usr/bin/erl")) return "/usr/bin/erl";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string candidate = Path.Join(dir, "erl");
            if (dir.Length > 0 && File.Exists(candidate)) return candidate;
        }
        // Not installed: the start fails with this path in the error, and the test fails with it.
        return "erl (not installed: apt-get install erlang-base)";
    }
}

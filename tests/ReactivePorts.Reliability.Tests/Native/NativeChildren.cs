using System.Diagnostics;

namespace ReactivePorts.Reliability.Tests.Native;

/// <summary>
/// The C children of the reliability tests, compiled with gcc once per test process into the test
/// output directory (next to their sources), so no binary is ever committed. A missing gcc fails.
/// </summary>
internal static class NativeChildren
{
    private static readonly Lazy<string> s_writer = new(() => Compile("rpwriter"));

    /// <summary>The path of rpwriter (see Native/rpwriter.c).</summary>
    public static string Writer => s_writer.Value;

    /// <summary>
    /// rpwriter's arguments: the SplitMix64 stream of <paramref name="seed"/>, <paramref name="total"/>
    /// bytes in chunks of 1..<paramref name="maxChunk"/>, then <paramref name="end"/> ("exit:N",
    /// "kill", "segv", "abort", "stop").
    /// </summary>
    public static SpawnSpec WriterSpec(ulong seed, long total, int maxChunk, string end) =>
        Port.SpawnExecutable(Writer).WithArguments(seed.ToString(), total.ToString(), maxChunk.ToString(), end);

    private static string Compile(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Native");
        string source = Path.Combine(dir, name + ".c");
        string binary = Path.Combine(dir, name);
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)) return binary;
        // Compiled to a private name first, so a test process never runs a half-written file.
        string temporary = $"{binary}.{Environment.ProcessId}";
        var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-Wall", "-Werror", "-o", temporary, source])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("gcc did not start");
        string errors = gcc.StandardError.ReadToEnd();
        if (!gcc.WaitForExit(60_000)) throw new TimeoutException("gcc took over a minute");
        if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc failed on {source}: {errors}");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }
}

using System.Text;

namespace ReactivePorts.Tests;

/// <summary>
/// Where the peer console app (tests/ReactivePorts.Tests.Peer) is and how to run it: the build copies
/// it to peer/ next to the test assembly, and it runs as <c>dotnet peer.dll &lt;command&gt; [args]</c>.
/// </summary>
internal static class Peer
{
    /// <summary>The peer's dll.</summary>
    internal static string Path { get; } = Locate();

    /// <summary>The dotnet host that runs it.</summary>
    internal static string Host { get; } = LocateHost();

    /// <summary>argv for the peer: dotnet, the dll, the command and its arguments (UTF-8).</summary>
    internal static byte[][] Argv(params string[] commandAndArgs) =>
        [Encoding.UTF8.GetBytes(Host), Encoding.UTF8.GetBytes(Path), .. commandAndArgs.Select(Encoding.UTF8.GetBytes)];

    /// <summary>argv for the peer with raw byte arguments after the command.</summary>
    internal static byte[][] ArgvRaw(string command, params byte[][] args) =>
        [Encoding.UTF8.GetBytes(Host), Encoding.UTF8.GetBytes(Path), Encoding.UTF8.GetBytes(command), .. args];

    private static string Locate()
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "peer", "ReactivePorts.Tests.Peer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The peer was not copied next to the tests; build the test project.", path);
    }

    // The test host usually runs under the dotnet muxer; otherwise the SDK tells children where it is.
    private static string LocateHost()
    {
        static bool IsHost(string? p) => p is not null && System.IO.Path.GetFileName(p) == "dotnet" && File.Exists(p);

        if (IsHost(Environment.ProcessPath)) return Environment.ProcessPath!;
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (IsHost(fromSdk)) return fromSdk!;
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && IsHost(System.IO.Path.Combine(root, "dotnet"))) return System.IO.Path.Combine(root, "dotnet");
        if (IsHost("/usr/share/dotnet/dotnet")) return "/usr/share/dotnet/dotnet";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string candidate = System.IO.Path.Combine(dir, "dotnet");
            if (IsHost(candidate)) return candidate;
        }
        throw new FileNotFoundException("No dotnet host found to run the peer.");
    }
}

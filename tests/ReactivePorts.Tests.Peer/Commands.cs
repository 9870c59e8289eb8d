namespace ReactivePortsPeer;

/// <summary>The subcommands, by name. Each returns the process exit code.</summary>
internal static partial class Commands
{
    private static readonly Dictionary<string, Func<string[], int>> Table = new()
    {
        // Streams (Commands.Streams.cs)
        ["echo"] = Echo,
        ["lp-echo"] = LengthPrefixEcho,
        ["flood"] = Flood,
        ["write-exit"] = WriteExit,
        ["close-stdout-linger"] = CloseStdoutLinger,
        ["stderr"] = StdErr,
        ["use-fds"] = UseFds,
        ["write-fds"] = WriteFds,
        ["read-sizes"] = ReadSizes,
        ["never-read"] = Sleep,
        // Process life (Commands.Life.cs)
        ["exit"] = Exit,
        ["signal"] = RaiseSignal,
        ["sleep"] = Sleep,
        ["grandchild-holds-stdout"] = GrandchildHoldsStdout,
        // What the child was given (Commands.Inspect.cs)
        ["list-fds"] = ListFds,
        ["signal-state"] = SignalState,
        ["args"] = Args,
        ["args0"] = ArgsRaw,
        ["env"] = Env,
        ["env0"] = EnvRaw,
        ["cwd"] = Cwd,
        ["pid"] = Pid,
    };

    internal static IEnumerable<string> Names => Table.Keys;

    internal static int Run(string name, string[] args) =>
        Table.TryGetValue(name, out var command) ? command(args) : throw new ArgumentException($"unknown command '{name}'");

    private static int IntArg(string[] args, int index, int? fallback = null) =>
        index < args.Length ? int.Parse(args[index]) : fallback ?? throw new ArgumentException($"argument {index + 1} is missing");

    private static long LongArg(string[] args, int index) =>
        index < args.Length ? long.Parse(args[index]) : throw new ArgumentException($"argument {index + 1} is missing");
}

namespace ReactivePorts.Benchmarks.Compare;

/// <summary>
/// <c>ReactivePorts.Benchmarks compare IMPL [OPTIONS] TEST [SECS [TRIALS]]</c>: one implementation
/// of the comparison (see Compare/run.sh). IMPL: <c>dotnet</c> (System.Diagnostics.Process),
/// <c>cliwrap</c>, <c>reactiveports</c>. Prints RESULT/TRIAL/CHECK/INFO/FAIL lines; exits 1 on a
/// verification failure.
/// </summary>
internal static class Runner
{
    public static Task<int> RunAsync(string[] args) => args.FirstOrDefault() switch
    {
        "dotnet" => ProcessBench.RunAsync(Bench.Options.Parse(args[1..])),
        "cliwrap" => CliWrapBench.RunAsync(Bench.Options.Parse(args[1..])),
        "reactiveports" => ReactivePortsBench.RunAsync(args[1..]),
        _ => Usage(),
    };

    private static Task<int> Usage()
    {
        Console.Error.WriteLine("usage: ReactivePorts.Benchmarks compare dotnet|cliwrap|reactiveports [--zero-copy] [--pipe-size N] [--name NAME] TEST [SECS [TRIALS]]");
        return Task.FromResult(2);
    }
}

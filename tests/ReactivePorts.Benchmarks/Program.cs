using BenchmarkDotNet.Running;

// "compare ..." runs one implementation of the comparison (Compare/run.sh drives them all);
// anything else goes to BenchmarkDotNet (the micro benchmarks: --filter '*').
if (args.Length > 0 && args[0] == "compare")
    return await ReactivePorts.Benchmarks.Compare.Runner.RunAsync(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

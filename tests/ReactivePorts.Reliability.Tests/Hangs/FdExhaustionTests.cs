using ReactivePorts.Tests.Ports;
using Xunit.Abstractions;

namespace ReactivePorts.Reliability.Tests.Hangs;

/// <summary>
/// Running out of descriptors (EMFILE), in a child test process with a low RLIMIT_NOFILE (set with
/// `ulimit -n` by its launching shell): ReactivePorts.Reliability.FdExhaustion checks the error is
/// typed and names EMFILE, that a failure at every stage of an open leaks nothing, and that the
/// library recovers once descriptors are freed.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class FdExhaustionTests(ITestOutputHelper output)
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "fd-exhaustion", "ReactivePorts.Reliability.FdExhaustion.dll");

    [Fact(Timeout = 120000)]
    public async Task Open_OutOfDescriptors_FailsTyped_LeaksNothing_Recovers()
    {
        Assert.True(File.Exists(Program), $"{Program} was not copied next to the tests");
        var result = await PortTestKit.Sh("ulimit -n 160 && exec \"$0\" \"$1\"", ReactivePorts.Tests.Peer.Host, Program)
            .ExecuteBufferedAsync().WaitAsync(TimeSpan.FromSeconds(110));
        string text = System.Text.Encoding.UTF8.GetString(result.StandardOutput);
        output.WriteLine(text);
        Assert.True(result.Status.ExitCode == 0, $"{result.Status}:\n{text}\n{System.Text.Encoding.UTF8.GetString(result.StandardError)}");
        Assert.Contains("EMFILE", text);
        Assert.Contains("all checks passed", text);
    }
}

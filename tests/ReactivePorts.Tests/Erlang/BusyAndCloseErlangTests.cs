using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Erlang;

/// <summary>Busy limits and the flush on close, side by side with real Erlang on the same child.</summary>
public sealed class BusyAndCloseErlangTests
{
    /// <summary>
    /// Erlang: a child that never reads, its pipe filled exactly (65,536 bytes in one command), then
    /// 1000-byte <c>nosuspend</c> commands until one is refused; prints how many went in.
    /// </summary>
    private static async Task<int> ErlangSuccesses(long low, long high)
    {
        string limits = low == 0 ? "" : $", {{busy_limits_port, {{{low}, {high}}}}}";
        string output = await Erl.Run("""
            P = open_port({spawn, "sleep 30"}, [binary LIMITS]),
            true = port_command(P, binary:copy(<<0>>, 65536)),
            Count = fun C(N) when N < 100 -> case erlang:port_command(P, binary:copy(<<0>>, 1000), [nosuspend]) of true -> C(N + 1); false -> N end; C(N) -> N end,
            N = Count(0),
            {os_pid, Pid} = erlang:port_info(P, os_pid),
            os:cmd("kill " ++ integer_to_list(Pid)),
            io:format("~p~n", [N]), halt().
            """.Replace("LIMITS", limits));
        return int.Parse(output.Trim());
    }

    [Theory(Timeout = 60000)]
    [InlineData(0, 0)]        // Erlang's defaults, 4096 / 8192: 9 writes
    [InlineData(1024, 2048)]  // 3
    [InlineData(4000, 6000)]  // 6
    [InlineData(5000, 6000)]  // 6
    public async Task TryWrite_OnAFullPipe_AsManySuccessesAsErlang(long low, long high)
    {
        int ours = await PortBusyLimitsTests.SuccessesOnAFullPipe(s => low == 0 ? s : s.WithBusyLimits(low, high));
        // Erlang's count is the same once its port has run the commands; now and then (measured: 1
        // run in 3 under load) it refuses earlier, while commands still wait in its port task queue
        // (0 instead of 3 for {1024, 2048}, 4 instead of 8 for {5000, 8000}). So it gets up to three tries.
        var erlang = new List<int>();
        for (int run = 0; run < 3 && !erlang.Contains(ours); run++) erlang.Add(await ErlangSuccesses(low, high));
        Assert.Contains(ours, erlang);
        Assert.All(erlang, n => Assert.True(n <= ours, $"Erlang accepted {n}, more than the library's {ours}"));
    }

    [Fact(Timeout = 30000)]
    public async Task Close_WithQueuedInput_FlushesEverythingToAReadingChild_AsErlang()
    {
        string dir = Directory.CreateTempSubdirectory("rp-erl-close-").FullName;
        try
        {
            // The child starts reading late; the port is closed while most of the input is queued.
            string erlFile = Path.Join(dir, "erl"), ourFile = Path.Join(dir, "ours");
            string Child(string file) => $"sh -c 'sleep 0.3; wc -c > {file}'";
            await Erl.Run($$"""
                P = open_port({spawn, "{{Child(erlFile)}}"}, [binary, exit_status]),
                true = port_command(P, binary:copy(<<1>>, 262144)),
                port_close(P),
                timer:sleep(2000), halt().
                """);

            await using var scope = new PortScope();
            var port = scope.Open(Port.Spawn(Child(ourFile)));
            port.WriteForced(new byte[262144]);
            Assert.Equal(0, await port.CloseAsync().WaitAsync(PortTestKit.TestTimeout));
            await port.Exit.WaitAsync(PortTestKit.TestTimeout);

            Assert.Equal("262144", File.ReadAllText(erlFile).Trim());
            Assert.Equal(File.ReadAllText(erlFile), File.ReadAllText(ourFile));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

using System.Text;
using ReactivePorts.Framing;
using ReactivePorts.Tests.Polling;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Erlang;

/// <summary>
/// The same child under real Erlang and under the library, transcripts compared: the order of data,
/// exit status and eof, eof mode, a frame cut off by the end (which Erlang drops silently and the
/// library reports), and an output-only port's exit status (which Erlang never delivers).
/// </summary>
public sealed class PortOrderErlangTests
{
    // Data, then the output closes, then (later) the exit.
    private const string Child = """sh -c 'printf "a\nb"; exec 1>&-; sleep 0.2; exit 3'""";

    /// <summary>An Erlang fun collecting a port's messages as transcript lines until it closes (or eof in eof mode).</summary>
    private static string Collect(string openPort, bool eofMode) => """
        P = OPEN_PORT,
        erlang:monitor(port, P),
        L = fun Loop(Acc) -> receive
            {P, {data, {eol, D}}} -> Loop([["data eol ", D] | Acc]);
            {P, {data, {noeol, D}}} -> Loop([["data noeol ", D] | Acc]);
            {P, {data, D}} when is_binary(D) -> Loop([["data ", D] | Acc]);
            {P, {exit_status, S}} -> Loop([["exit ", integer_to_list(S)] | Acc]);
            {P, eof} -> EOF_CLAUSE;
            {'DOWN', _, port, P, _} -> lists:reverse(["closed" | Acc])
            after 10000 -> lists:reverse(["timeout" | Acc]) end end,
        [io:format("~s~n", [X]) || X <- L([])],
        halt().
        """.Replace("OPEN_PORT", openPort).Replace("EOF_CLAUSE", eofMode ? "port_close(P), lists:reverse([\"eof\" | Acc])" : "Loop([\"eof\" | Acc])");

    /// <summary>
    /// Erlang's transcript with the one deliberate difference applied: every byte of data, the
    /// unterminated last line included, comes before the exit status (Erlang delivers that last piece
    /// after it, when it flushes the line buffer at eof).
    /// </summary>
    private static List<string> Ordered(List<string> erlang) =>
        [.. erlang.Where(l => l.StartsWith("data")), .. erlang.Where(l => !l.StartsWith("data"))];

    private static List<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The library's events as the same transcript lines.</summary>
    private static async Task<List<string>> Ours(SpawnSpec spec, bool eofMode)
    {
        await using var scope = new PortScope();
        var port = scope.Open(spec);
        var lines = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Events.Subscribe(e =>
        {
            switch (e)
            {
                case PortData { Packet: var p }:
                    string text = Encoding.UTF8.GetString(p.Payload.Span);
                    lines.Add(p.Line switch { LineEnding.Eol => $"data eol {text}", LineEnding.NoEol => $"data noeol {text}", _ => $"data {text}" });
                    break;
                case PortTruncatedFrame t: lines.Add(t.ToString()); break;
                case PortExited { Status: var s }: lines.Add($"exit {s.ErlangStatus}"); break;
                case PortEof:
                    lines.Add("eof");
                    if (eofMode) _ = port.CloseAsync();
                    break;
                case PortClosed: if (!eofMode) lines.Add("closed"); done.TrySetResult(); break;
            }
        });
        port.Output.Subscribe(_ => { }, _ => { }, () => { });
        await done.Task.WaitAsync(PortTestKit.TestTimeout);
        return lines;
    }

    [Fact(Timeout = 30000)]
    public async Task ExitStatus_EofMode_DataThenExitThenEof_AsErlangButTheLastLineFirst()
    {
        var erlang = Lines(await Erl.Run(Collect($"open_port({{spawn, \"{Child.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"}}, [exit_status, eof, {{line, 80}}, binary])", eofMode: true)));
        var ours = await Ours(Port.Spawn(Child).WithFraming(FrameFormat.Line(80)).WithEofMode(), eofMode: true);
        // Erlang flushes the unterminated last line at eof, which it holds until the exit status.
        Assert.Equal(["data eol a", "exit 3", "data noeol b", "eof"], erlang);
        Assert.Equal(Ordered(erlang), ours);
    }

    [Fact(Timeout = 30000)]
    public async Task ExitStatus_NoEofMode_DataThenExitThenClosed_AsErlangButTheLastLineFirst()
    {
        var erlang = Lines(await Erl.Run(Collect($"open_port({{spawn, \"{Child.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"}}, [exit_status, {{line, 80}}, binary])", eofMode: false)));
        var ours = await Ours(Port.Spawn(Child).WithFraming(FrameFormat.Line(80)), eofMode: false);
        Assert.Equal(["data eol a", "exit 3", "data noeol b", "closed"], erlang);
        Assert.Equal(Ordered(erlang), ours);
    }

    [Fact(Timeout = 30000)]
    public async Task TruncatedFrame_ErlangDropsIt_TheLibraryReportsIt_BeforeTheExitStatus()
    {
        const string child = """sh -c 'printf "\000\002ok\000\012abc"; exit 4'""";
        string quoted = child.Replace("\\", "\\\\").Replace("\"", "\\\"");
        var erlang = Lines(await Erl.Run(Collect($"open_port({{spawn, \"{quoted}\"}}, [exit_status, {{packet, 2}}, binary])", eofMode: false)));
        var ours = await Ours(Port.Spawn(child).WithFraming(FrameFormat.LengthPrefixed(2)), eofMode: false);
        Assert.Equal(["data ok", "exit 4", "closed"], erlang);
        // Unlike Erlang, exactly one line more, where it happened: the frame's expected and received sizes.
        Assert.Equal(["data ok", new PortTruncatedFrame(10, 3, false).ToString(), "exit 4", "closed"], ours);
    }

    [Fact(Timeout = 30000)]
    public async Task OutputOnlyPort_ErlangNeverDeliversTheStatus_TheLibraryDoes()
    {
        // The child reads one line and exits with it; the port only writes (Erlang's `out`).
        const string child = """sh -c 'read -r code; exit "$code"'""";
        string quoted = child.Replace("\\", "\\\\").Replace("\"", "\\\"");
        var erlang = Lines(await Erl.Run("""
            P = open_port({spawn, "QUOTED"}, [out, exit_status, binary]),
            port_command(P, <<"5\n">>),
            R = receive {P, {exit_status, S}} -> io_lib:format("exit ~p", [S]) after 1500 -> "no exit status" end,
            io:format("~s~n", [R]), halt().
            """.Replace("QUOTED", quoted)));
        Assert.Equal(["no exit status"], erlang);

        await using var scope = new PortScope();
        var port = scope.Open(Port.Spawn(child).WithDirection(PortDirection.Out));
        var recorder = new PortRecorder(port);
        await port.WriteAsync("5\n"u8.ToArray());
        await recorder.Completed;
        Assert.Equal(["Exited(exit code 5)", "Closed"], recorder.Kinds);
    }

    [Fact(Timeout = 30000)]
    public async Task OutputOnlyPort_StaysOpenAndWritable_UntilTheChildExits()
    {
        await using var scope = new PortScope();
        // Reads two lines, the second long after the port opened, then exits.
        var port = scope.Open(Port.Spawn("""sh -c 'read -r a; read -r b; exit "$b"'""").WithDirection(PortDirection.Out).WithExitStatus(false));
        var recorder = new PortRecorder(port);
        await port.WriteAsync("1\n"u8.ToArray());
        await port.Scheduler.Barrier();
        Assert.False(recorder.IsCompleted);
        Assert.True(port.IsOpen);
        await port.WriteAsync("7\n"u8.ToArray());
        await recorder.Completed;
        Assert.Equal(7, (await port.Exit.WaitAsync(PortTestKit.TestTimeout)).ExitCode);
        Assert.Equal(["Closed"], recorder.Kinds);
    }
}

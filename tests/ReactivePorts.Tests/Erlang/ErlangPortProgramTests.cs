using ReactivePorts.Framing;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.Erlang;

/// <summary>
/// Erlang for real, both ways: the real erl runs the C# port program (samples/ErlangPortProgram, on
/// <see cref="Port.OpenStandardStreams"/>) as an Erlang port, and a ReactivePorts spawn port talks to
/// an escript that speaks <c>{packet,2}</c> on its stdio.
/// </summary>
public sealed class ErlangPortProgramTests
{
    private static string ProgramDll
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "erlang-port-program", "ErlangPortProgram.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The Erlang port program was not copied next to the tests; build the test project.", path);
        }
    }

    private static string ErlString(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    [Fact(Timeout = 60000)]
    public async Task OpenStandardStreams_UnderRealErlang_AnswersEveryPacketAndExitsZeroAtEof()
    {
        // Sizes 0, 1, 64 KiB and 1 MiB, each answered reversed. First as the issue opens it, straight
        // {spawn_executable, dotnet}; then, for the exit status (Erlang cannot half-close a port, and
        // port_close drops the status), through `head -c Total` with its stdout unbuffered (stdbuf -o0; dd's count_bytes miscounts partial reads),
        // which ends the program's input right after the last frame, so the program sees eof,
        // flushes, and exits while Erlang still listens.
        string expression = """
            Sizes = [0, 1, 65536, 1048576],
            Bin = fun(S) -> << <<(I rem 251)>> || I <- lists:seq(1, S) >> end,
            Rev = fun(B) -> list_to_binary(lists:reverse(binary_to_list(B))) end,
            Exchange = fun(P) -> [begin
                    B = Bin(S),
                    port_command(P, B),
                    receive {P, {data, R}} -> case R =:= Rev(B) of true -> S; false -> {bad_reply, S, byte_size(R)} end
                    after 20000 -> {timeout, S} end
                end || S <- Sizes] end,
            P1 = open_port({spawn_executable, DOTNET}, [{args, [DLL]}, {packet, 4}, binary, exit_status]),
            io:format("direct ~p~n", [Exchange(P1)]),
            port_close(P1),
            Total = lists:sum([4 + S || S <- Sizes]),
            P2 = open_port({spawn_executable, "/bin/sh"}, [{args, ["-c", "stdbuf -o0 head -c \"$2\" | \"$0\" \"$1\"", DOTNET, DLL, integer_to_list(Total)]},
                {packet, 4}, binary, exit_status]),
            io:format("eof ~p~n", [Exchange(P2)]),
            receive {P2, {exit_status, St}} -> io:format("exit ~p~n", [St]) after 20000 -> io:format("exit timeout~n") end,
            halt().
            """.Replace("DOTNET", ErlString(Peer.Host)).Replace("DLL", ErlString(ProgramDll));
        string output = await Erl.Run(expression, TimeSpan.FromSeconds(50));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["direct [0,1,65536,1048576]", "eof [0,1,65536,1048576]", "exit 0"], lines);
    }

    // -noinput: otherwise the runtime's own standard input reader competes for fd 0.
    private const string PacketTwoEchoScript = """
        #!/usr/bin/env escript
        %%! -noinput
        main(_) ->
            P = open_port({fd, 0, 1}, [{packet, 2}, binary, eof]),
            loop(P).
        loop(P) ->
            receive
                {P, {data, D}} -> port_command(P, [<<"echo:">>, D]), loop(P);
                {P, eof} -> halt(3)
            end.
        """;

    [Fact(Timeout = 60000)]
    public async Task Spawn_EscriptSpeakingPacket2_RepliesInOrderAndExitsAtEof()
    {
        string script = Path.Combine(Directory.CreateTempSubdirectory("rp-escript-").FullName, "echo.escript");
        await File.WriteAllTextAsync(script, PacketTwoEchoScript);
        try
        {
            await using var scope = new PortScope();
            var port = scope.Open(Port.SpawnExecutable("/usr/bin/escript").WithArguments(script).WithFraming(FrameFormat.LengthPrefixed(2)));
            var recorder = new PortRecorder(port);
            int[] sizes = [0, 1, 1000, 65_000];
            var replies = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int seen = 0;
            using var counting = port.Events.Subscribe(e => { if (e is PortData && Interlocked.Increment(ref seen) == sizes.Length) replies.TrySetResult(); });
            foreach (int size in sizes) await port.WriteAsync(Drivers.Fd.FdTestKit.Pattern(size, size));
            await replies.Task.WaitAsync(TimeSpan.FromSeconds(30));
            port.CompleteInput(); // the escript's fd port sees eof and halts
            await recorder.Completed.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Null(recorder.Error);
            Assert.Equal(sizes.Select(s => "echo:" + PortTestKit.Text(Drivers.Fd.FdTestKit.Pattern(s, s))), recorder.Packets.Select(p => PortTestKit.Text(p.Payload)));
            Assert.Equal(3, (await port.Exit).ErlangStatus);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
    }
}

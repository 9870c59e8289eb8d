using System.Text;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Erlang;

/// <summary>
/// Start failures and the refusal of <c>arg0</c> for a shell command, side by side with real Erlang on the
/// same files: where Erlang fails at open (its access check) the library fails at the Executable stage;
/// where Erlang's child fails (exit status = errno), the library fails at the Exec or WorkingDirectory stage
/// with the same errno.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnErrorsErlangTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rp-erl-").FullName;

    public SpawnErrorsErlangTests()
    {
        File.WriteAllText(Path.Join(_dir, "noexec"), "x");
        File.SetUnixFileMode(Path.Join(_dir, "noexec"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Join(_dir, "noshebang"), "echo hi\n");
        File.SetUnixFileMode(Path.Join(_dir, "noshebang"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Join(_dir, "adir"));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private const int Big = 200_000; // one argument over MAX_ARG_STRLEN (128 KiB)

    /// <summary>(name, executable, working directory or null, one huge argument?)</summary>
    private (string Name, string Exe, string? Cd, bool Huge)[] Cases() =>
    [
        ("missing", Path.Join(_dir, "missing"), null, false),
        ("noexec", Path.Join(_dir, "noexec"), null, false),
        ("directory", Path.Join(_dir, "adir"), null, false),
        ("noshebang", Path.Join(_dir, "noshebang"), null, false),
        ("cd_missing", "/bin/true", Path.Join(_dir, "nope"), false),
        ("cd_file", "/bin/true", Path.Join(_dir, "noexec"), false),
        ("e2big", "/bin/true", null, true),
    ];

    [Fact(Timeout = 20000)]
    public async Task Open_StartFailures_SameTranscriptAsErlang()
    {
        // Erlang: {error, Posix} from open_port is its open-time check; {exit_status, Errno} is the
        // child's exec or chdir failing (erl_child_setup exits with the errno).
        var erlang = new StringBuilder("Try = fun(Name, Spec, Opts) -> R = try P = open_port(Spec, [exit_status | Opts]), "
            + "receive {P, {exit_status, S}} -> io_lib:format(\"exit ~p\", [S]) after 5000 -> \"timeout\" end "
            + "catch error:E -> io_lib:format(\"error ~p\", [E]) end, io:format(\"~s ~s~n\", [Name, R]) end, ");
        foreach (var (name, exe, cd, huge) in Cases())
        {
            string opts = cd is null ? "" : $"{{cd, \"{cd}\"}}";
            if (huge) opts = $"{{args, [lists:duplicate({Big}, $a)]}}";
            erlang.Append($"Try(\"{name}\", {{spawn_executable, \"{exe}\"}}, [{opts}]), ");
        }
        erlang.Append("halt().");
        string erl = Normalize(await Erl.Run(erlang.ToString()));

        var ours = new StringBuilder();
        var stages = new List<string>();
        foreach (var (name, exe, cd, huge) in Cases())
        {
            var spec = Port.SpawnExecutable(exe);
            if (cd is not null) spec = spec.WithWorkingDirectory(cd);
            if (huge) spec = spec.WithArguments(new string('a', Big));
            var error = Assert.Throws<PortSpawnException>(() => spec.Open());
            ours.Append($"{name} {(error.Stage == PortSpawnStage.Executable ? "open" : "child")} {error.ErrnoName}\n");
            stages.Add($"{name} {error.Stage} {error.ErrnoName} {error.Path}");
        }

        Assert.Equal(
            "missing open ENOENT\nnoexec open EACCES\ndirectory child EACCES\nnoshebang child ENOEXEC\n"
            + "cd_missing child ENOENT\ncd_file child ENOTDIR\ne2big child E2BIG\n", erl);
        Assert.Equal(erl, ours.ToString());
        // What Erlang leaves to the exit status, the library names exactly.
        Assert.Equal(
        [
            $"missing Executable ENOENT {_dir}/missing",
            $"noexec Executable EACCES {_dir}/noexec",
            $"directory Exec EACCES {_dir}/adir",
            $"noshebang Exec ENOEXEC {_dir}/noshebang",
            $"cd_missing WorkingDirectory ENOENT {_dir}/nope",
            $"cd_file WorkingDirectory ENOTDIR {_dir}/noexec",
            "e2big Exec E2BIG /bin/true",
        ], stages);
    }

    /// <summary>"name error enoent" → "name open ENOENT"; "name exit 13" → "name child EACCES".</summary>
    private static string Normalize(string transcript)
    {
        var lines = new StringBuilder();
        foreach (string line in transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(' ');
            lines.Append(f[1] == "error" ? $"{f[0]} open {f[2].ToUpperInvariant()}\n" : f[1] == "exit" ? $"{f[0]} child {Libc.ErrnoName(int.Parse(f[2]))}\n" : line + "\n");
        }
        return lines.ToString();
    }

    [Fact(Timeout = 20000)]
    public async Task WithArg0_ShellCommand_RefusedAsErlangRefusesIt()
    {
        string erl = await Erl.Run(
            "T = fun(Name, Spec) -> R = try P = open_port(Spec, [{arg0, \"x\"}]), port_close(P), accepted catch error:badarg -> refused end, "
            + "io:format(\"~s ~p~n\", [Name, R]) end, T(\"spawn\", {spawn, \"true\"}), T(\"spawn_executable\", {spawn_executable, \"/bin/true\"}), halt().");

        static string Ours(Func<SpawnSpec> spec)
        {
            try
            {
                spec().WithArg0("x").Open().Dispose();
                return "accepted";
            }
            catch (ArgumentException)
            {
                // The refusal under test.
                return "refused";
            }
        }
        string ours = $"spawn {Ours(() => Port.Spawn("true"))}\nspawn_executable {Ours(() => Port.SpawnExecutable("/bin/true"))}\n";

        Assert.Equal("spawn refused\nspawn_executable accepted\n", erl);
        Assert.Equal(erl, ours);
    }
}

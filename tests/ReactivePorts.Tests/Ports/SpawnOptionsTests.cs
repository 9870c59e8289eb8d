using ReactivePorts.Tests.Polling;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ReactivePorts.Drivers.Spawn;
using ReactivePorts.Framing;
using static ReactivePorts.Tests.Ports.PortTestKit;

namespace ReactivePorts.Tests.Ports;

/// <summary>Every With… option of a spawn spec, checked against what a real child sees.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnOptionsTests
{
    [Fact(Timeout = 20000)]
    public async Task WithArguments_Strings_ReachTheChildUnchanged()
    {
        string output = await RunText(Port.SpawnExecutable("/usr/bin/printf").WithArguments("[%s]\n", "a b", "", "ü€", "$HOME"));
        Assert.Equal("[a b]\n[]\n[ü€]\n[$HOME]\n", output);
    }

    [Fact(Timeout = 20000)]
    public async Task WithArgument_RawBytes_ReachTheChildByteForByte()
    {
        byte[] raw = [0xff, 0xfe, (byte)'a', 0x80];
        var result = await Port.SpawnExecutable("/usr/bin/printf").WithArguments("%s").WithArgument(raw).ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.Equal(raw, result.StandardOutput);
    }

    [Fact]
    public void WithArguments_Nul_Throws()
    {
        var spec = Port.SpawnExecutable("/bin/echo");
        Assert.Throws<ArgumentException>(() => spec.WithArguments("a\0b"));
        Assert.Throws<ArgumentException>(() => spec.WithArgument([1, 0, 2]));
        Assert.Throws<ArgumentException>(() => spec.WithArg0("x\0"));
        Assert.Throws<ArgumentException>(() => Port.Spawn("echo \0"));
        Assert.Throws<ArgumentException>(() => Port.Spawn("echo").WithArguments("x"));
    }

    [Fact]
    public void WithArg0_ShellCommand_ThrowsArgumentException()
    {
        // Erlang refuses arg0 with {spawn, Command} (badarg): the shell's argv[0] is not the command's.
        var error = Assert.Throws<ArgumentException>(() => Port.Spawn("echo hi").WithArg0("renamed"));
        Assert.Contains("WithArg0", error.Message);
    }

    [Fact(Timeout = 20000)]
    public async Task WithArg0_SetsArgvZero_NotTheProgramRun()
    {
        string output = await RunText(Sh("tr '\\0' '\\n' < /proc/$$/cmdline").WithArg0("renamed"));
        Assert.Equal("renamed", output.Split('\n')[0]);
    }

    [Fact(Timeout = 20000)]
    public async Task Spawn_CommandLine_RunsThroughShellWithExec()
    {
        // exec: the shell is replaced, so the port's pid is the program's own.
        await using var scope = new PortScope();
        var port = scope.Open(Port.Spawn("/bin/sh -c 'echo $$'"));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Equal($"{port.OsPid}\n", recorder.Text);
        Assert.Equal(0, (await port.Exit).ExitCode);
    }

    [Fact(Timeout = 20000)]
    public async Task WithEnvironment_SetEmptyAndRemove_AreApplied()
    {
        Assert.NotNull(Environment.GetEnvironmentVariable("PATH"));
        string output = await RunText(Port.SpawnExecutable("/usr/bin/env")
            .WithEnvironment("RP_SET", "value with = sign")
            .WithEnvironment("RP_EMPTY", "")
            .WithEnvironment("RP_GONE", "x").WithEnvironment("RP_GONE", null)
            .WithEnvironment("PATH", null));
        var lines = output.Split('\n');
        Assert.Contains("RP_SET=value with = sign", lines);
        Assert.Contains("RP_EMPTY=", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("RP_GONE=") || l.StartsWith("PATH="));
    }

    [Fact(Timeout = 20000)]
    public async Task WithClearedEnvironment_StartsEmpty_ThenAppliesLaterChanges()
    {
        string output = await RunText(Port.SpawnExecutable("/usr/bin/env").WithEnvironment("LOST", "1").WithClearedEnvironment().WithEnvironment("ONLY", "1"));
        Assert.Equal("ONLY=1\n", output);
    }

    [Fact]
    public void WithEnvironment_BadName_Throws()
    {
        var spec = Port.SpawnExecutable("/usr/bin/env");
        Assert.Throws<ArgumentException>(() => spec.WithEnvironment("", "x"));
        Assert.Throws<ArgumentException>(() => spec.WithEnvironment("A=B", "x"));
        Assert.Throws<ArgumentException>(() => spec.WithEnvironment("A", "x\0y"));
    }

    [Fact(Timeout = 20000)]
    public async Task WithWorkingDirectory_ChildStartsThere()
    {
        string dir = Directory.CreateTempSubdirectory("rp-cwd-").FullName;
        try
        {
            Assert.Equal(dir + "\n", await RunText(Port.SpawnExecutable("/bin/pwd").WithWorkingDirectory(dir)));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task SpawnExecutable_RelativePath_ResolvedAgainstCallersDirectory_NotTheChilds()
    {
        string name = "rp-rel-" + Guid.NewGuid().ToString("N");
        string dir = Path.Combine(Environment.CurrentDirectory, name);
        Directory.CreateDirectory(dir);
        try
        {
            string script = Path.Combine(dir, "prog");
            await File.WriteAllTextAsync(script, "#!/bin/sh\necho ran\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            // Resolved against the child's directory (/tmp) the file would not exist.
            Assert.Equal("ran\n", await RunText(Port.SpawnExecutable($"{name}/prog").WithWorkingDirectory("/tmp")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task SpawnExecutable_BareName_PathSearchedOnlyWhenAsked()
    {
        var error = Assert.Throws<PortSpawnException>(() => Port.SpawnExecutable("true").Open());
        Assert.Equal("ENOENT", error.ErrnoName);
        var result = await Port.SpawnExecutable("true").WithPathSearch().ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.True(result.Status.Success);
    }

    [Theory(Timeout = 30000)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task WithFraming_LengthPrefixed_RoundTripsPacketsThroughChild(int header)
    {
        await using var scope = new PortScope();
        var port = scope.Open(PeerSpec("lp-echo", header.ToString()).WithFraming(FrameFormat.LengthPrefixed(header)));
        var recorder = new PortRecorder(port);
        int max = header switch { 1 => 255, 2 => 65535, _ => 70000 };
        byte[][] payloads = [[], [1], Enumerable.Range(0, 255).Select(i => (byte)i).ToArray(), new byte[Math.Min(max, 65535)], new byte[max]];
        foreach (var payload in payloads) await port.WriteAsync(payload);
        port.CompleteInput();
        await recorder.Completed;
        Assert.Null(recorder.Error);
        Assert.Equal(payloads.Select(p => p.Length), recorder.Packets.Select(p => p.Length));
        Assert.Equal(payloads[2], recorder.Packets[2].Payload.ToArray());
        Assert.Equal(["Exited(exit code 0)", "Closed"], recorder.Kinds);
    }

    [Fact]
    public void WriteAsync_PayloadOverHeaderLimit_ThrowsTooLarge_PortStaysUsable()
    {
        using var port = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(1)).WithKillOnClose().Open();
        var error = Assert.Throws<PacketTooLargeException>(() => { _ = port.WriteAsync(new byte[256]); });
        Assert.Equal((256L, 255L), (error.AnnouncedSize, error.Limit));
        Assert.Contains("256", error.Message);
        Assert.Throws<PacketTooLargeException>(() => port.TryWrite(new byte[256]));
        Assert.Throws<PacketTooLargeException>(() => port.Write(new byte[256]));
        Assert.True(port.TryWrite(new byte[255]));
    }

    [Fact(Timeout = 20000)]
    public async Task WithFraming_Line_CutsAtLAndFlushesTheUnterminatedLastLine()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("printf 'abcdefghij\\nxy\\r\\nlast'").WithFraming(FrameFormat.Line(4)));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        var packets = recorder.Packets.Select(p => (Text(p.Payload), p.Line)).ToList();
        Assert.Equal(
            [("abcd", LineEnding.NoEol), ("efgh", LineEnding.NoEol), ("ij", LineEnding.Eol), ("xy", LineEnding.Eol), ("last", LineEnding.NoEol)],
            packets);
        // The flushed last line comes before the exit status.
        Assert.IsType<PortExited>(recorder.Events.SkipWhile(e => e is PortData).First());
    }

    [Fact]
    public void Open_ContradictoryOptions_FailSayingWhich()
    {
        var twoFramings = Assert.Throws<InvalidOperationException>(() =>
            Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.Line()).WithFraming(FrameFormat.LengthPrefixed(2)).Open());
        Assert.Contains("two framings", twoFramings.Message);
        // Low above high: refused at the call (unlike Erlang, which accepts it).
        Assert.Throws<ArgumentOutOfRangeException>(() => Port.SpawnExecutable("/bin/cat").WithBusyLimits(200, 100));
        var merged = Assert.Throws<InvalidOperationException>(() =>
            Port.SpawnExecutable("/bin/cat").WithStdio(false).WithStandardError(StandardErrorMode.MergeWithOutput).Open());
        Assert.Contains("nouse_stdio", merged.Message);
    }

    [Fact(Timeout = 20000)]
    public async Task WithStandardError_Modes_RouteTheChildsStderr()
    {
        const string script = "echo out; echo err >&2";
        // Merged: one stream.
        await using var scope = new PortScope();
        var merged = new PortRecorder(scope.Open(Sh(script).WithStandardError(StandardErrorMode.MergeWithOutput)));
        await merged.Completed;
        Assert.Equal("out\nerr\n", merged.Text);

        // Separate: an observable of its own (subscribed before the output starts reading).
        var port = scope.Open(Sh(script).WithStandardError(StandardErrorMode.Separate));
        var stderr = port.StandardError.Select(c => Text(c)).ToList().ToTask();
        var separate = new PortRecorder(port);
        await separate.Completed;
        Assert.Equal("out\n", separate.Text);
        Assert.Equal("err\n", string.Concat(await stderr.WaitAsync(TestTimeout)));

        // Inherited (the default): the child's fd 2 is ours; discarded: /dev/null.
        string ours = new FileInfo("/proc/self/fd/2").LinkTarget!;
        var inherited = new PortRecorder(scope.Open(Sh("readlink /proc/$$/fd/2").WithStandardError(StandardErrorMode.Inherit)));
        await inherited.Completed;
        Assert.Equal(ours + "\n", inherited.Text);
        var inheritedByDefault = new PortRecorder(scope.Open(Sh("readlink /proc/$$/fd/2")));
        await inheritedByDefault.Completed;
        Assert.Equal(ours + "\n", inheritedByDefault.Text);
        var discarded = new PortRecorder(scope.Open(Sh("readlink /proc/$$/fd/2").WithStandardError(StandardErrorMode.Discard)));
        await discarded.Completed;
        Assert.Equal("/dev/null\n", discarded.Text);
    }

    [Fact(Timeout = 20000)]
    public async Task WithDirection_In_ChildInputIsDevNull_AndThePortCannotBeWritten()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("readlink /proc/$$/fd/0").WithDirection(PortDirection.In));
        Assert.Throws<InvalidOperationException>(() => port.TryWrite([1]));
        Assert.Throws<InvalidOperationException>(() => port.Input.OnNext(new byte[] { 1 }));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Equal("/dev/null\n", recorder.Text);
    }

    [Fact(Timeout = 20000)]
    public async Task WithDirection_Out_ChildOutputIsDevNull_PortCompletesWhenReaped()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("read line; [ \"$(readlink /proc/$$/fd/1)\" = /dev/null ] && exit \"$line\"; exit 99").WithDirection(PortDirection.Out));
        var recorder = new PortRecorder(port);
        await port.WriteAsync(Bytes("3\n"));
        await recorder.Completed;
        Assert.Empty(recorder.Packets);
        Assert.Equal(["Exited(exit code 3)", "Closed"], recorder.Kinds);
        Assert.True(recorder.ExitKnownAtCompletion);
    }

    [Fact(Timeout = 20000)]
    public async Task WithExitStatus_Off_CompletesAtEof_ExitTaskStillKnowsTheStatus()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("echo hi; exit 5").WithExitStatus(false));
        var recorder = new PortRecorder(port);
        await recorder.Completed;
        Assert.Equal(["Closed"], recorder.Kinds); // no eof event outside eof mode, as Erlang
        Assert.Equal(5, (await port.Exit.WaitAsync(TestTimeout)).ExitCode);
    }

    [Theory(Timeout = 20000)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task WithPipeSize_SetsThePipeCapacity(int size)
    {
        await using var scope = new PortScope();
        var port = scope.Open(Sh("exec sleep 30").WithPipeSize(size));
        await port.Scheduler.Barrier();
        Assert.Equal(size, ((SpawnDriver)port.Core.Driver).InputPipeSize);
        var byDefault = scope.Open(Sh("exec sleep 30"));
        await byDefault.Scheduler.Barrier();
        Assert.Equal(64 * 1024, ((SpawnDriver)byDefault.Core.Driver).InputPipeSize);
    }

    /// <summary>The capacity of a child's standard output pipe, as the kernel reports it through the child's own descriptor 1.</summary>
    private static int OutputPipeSize(Port port) => ChildPipeSize(port, 1, ReactivePorts.Interop.Libc.O_RDONLY);

    /// <summary>The capacity of a child's standard input pipe, through its descriptor 0.</summary>
    private static int InputPipeSize(Port port) => ChildPipeSize(port, 0, ReactivePorts.Interop.Libc.O_WRONLY);

    private static int ChildPipeSize(Port port, int fd, int access)
    {
        using var pipe = ReactivePorts.Interop.Libc.Open($"/proc/{port.OsPid}/fd/{fd}", access | ReactivePorts.Interop.Libc.O_NONBLOCK);
        return ReactivePorts.Interop.Libc.GetPipeSize(pipe);
    }

    [Theory(Timeout = 30000)]
    [InlineData(4, 100 * 1024, 256 * 1024)]  // {packet,4} frames over the 64 KiB pipe: room for two
    [InlineData(4, 600 * 1024, 1 << 20)]     // bigger ones: up to the unprivileged maximum
    [InlineData(0, 64 * 1024, 64 * 1024)]    // raw 64 KiB writes fit the pipe: left alone
    [InlineData(4, 32 * 1024, 64 * 1024)]    // frames that fit: left alone
    public async Task FramesLargerThanTheInputPipe_GrowIt_OthersLeaveIt(int header, int payload, int expected)
    {
        await using var scope = new PortScope();
        // The child reads nothing for now, so every frame after the first waits in the port's queue
        // and is handed to the driver whole.
        var spec = Sh("exec sleep 30");
        var port = scope.Open(header == 0 ? spec : spec.WithFraming(FrameFormat.LengthPrefixed(header)));
        // The first frame goes straight to the empty pipe (in part); the others are handed over whole.
        for (int i = 0; i < SpawnDriver.SignsBeforeGrowing + 2; i++) port.WriteForced(new byte[payload]);
        await port.Scheduler.Barrier();
        Assert.Equal(expected, InputPipeSize(port));
        Assert.Equal(expected, ((SpawnDriver)port.Core.Driver).InputPipeSize);
    }

    /// <summary>Completes once <paramref name="port"/> has delivered <paramref name="bytes"/> bytes of output.</summary>
    private static Task ReceivedAsync(Port port, long bytes)
    {
        long received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(p => { if ((received += p.Length) >= bytes) done.TrySetResult(); }, e => done.TrySetException(e), () => done.TrySetResult());
        return done.Task;
    }

    [Fact(Timeout = 30000)]
    public async Task StreamingChild_OutputPipeGrows_QuietChildKeepsTheDefault()
    {
        await using var scope = new PortScope();
        var streaming = scope.Open(Port.SpawnExecutable("/bin/cat").WithArguments("/dev/zero").WithDirection(PortDirection.In));
        var quiet = scope.Open(Sh("echo hi; exec sleep 30"));
        Assert.Equal(64 * 1024, OutputPipeSize(streaming)); // as created
        // GNU cat writes 128 KiB at a time: its pipe is full whenever the loop comes to read.
        await ReceivedAsync(streaming, 64L << 20).WaitAsync(TestTimeout);
        await ReceivedAsync(quiet, 3).WaitAsync(TestTimeout);
        Assert.Equal(SpawnDriver.GrownPipeSize, OutputPipeSize(streaming));
        Assert.Equal(64 * 1024, OutputPipeSize(quiet));
    }

    [Fact(Timeout = 30000)]
    public async Task StreamingChild_WithPipeSize_KeepsTheSizeAskedFor()
    {
        await using var scope = new PortScope();
        var port = scope.Open(Port.SpawnExecutable("/bin/cat").WithArguments("/dev/zero").WithDirection(PortDirection.In).WithPipeSize(32 * 1024));
        await ReceivedAsync(port, 64L << 20).WaitAsync(TestTimeout);
        Assert.Equal(32 * 1024, OutputPipeSize(port));
    }
}

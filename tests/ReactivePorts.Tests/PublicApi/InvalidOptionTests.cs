using ReactivePorts.Framing;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Tests.PublicApi;

/// <summary>
/// Invalid values (not nulls: <see cref="ArgumentValidationTests"/> covers those) throw the exception
/// their XML docs name, at the call, naming what was wrong — for every documented case of every
/// option and factory, in one table.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class InvalidOptionTests
{
    private static readonly SpawnSpec Exe = Port.SpawnExecutable("/bin/true");
    private static readonly SpawnSpec Shell = Port.Spawn("true");

    public static TheoryData<string, Type> Cases => new()
    {
        { "Spawn empty", typeof(ArgumentException) },
        { "Spawn NUL", typeof(ArgumentException) },
        { "SpawnExecutable empty", typeof(ArgumentException) },
        { "SpawnExecutable NUL", typeof(ArgumentException) },
        { "SpawnExecutable bytes empty", typeof(ArgumentException) },
        { "SpawnExecutable bytes NUL", typeof(ArgumentException) },
        { "WithArguments NUL", typeof(ArgumentException) },
        { "WithArguments on a shell command", typeof(ArgumentException) },
        { "WithArgument bytes NUL", typeof(ArgumentException) },
        { "WithArg0 NUL", typeof(ArgumentException) },
        { "WithArg0 on a shell command", typeof(ArgumentException) },
        { "WithEnvironment empty name", typeof(ArgumentException) },
        { "WithEnvironment name with =", typeof(ArgumentException) },
        { "WithEnvironment name with NUL", typeof(ArgumentException) },
        { "WithEnvironment value with NUL", typeof(ArgumentException) },
        { "WithWorkingDirectory empty", typeof(ArgumentException) },
        { "WithWorkingDirectory NUL", typeof(ArgumentException) },
        { "WithWorkingDirectory bytes NUL", typeof(ArgumentException) },
        { "WithPipeSize 0", typeof(ArgumentOutOfRangeException) },
        { "WithPipeSize negative", typeof(ArgumentOutOfRangeException) },
        { "WithBusyLimits low 0", typeof(ArgumentOutOfRangeException) },
        { "WithBusyLimits high negative", typeof(ArgumentOutOfRangeException) },
        { "WithBusyLimits low above high", typeof(ArgumentOutOfRangeException) },
        { "WithFlushTimeout negative", typeof(ArgumentOutOfRangeException) },
        { "ExecuteBufferedAsync maxBytes 0", typeof(ArgumentOutOfRangeException) },
        { "OpenFd both negative", typeof(ArgumentException) },
        { "OpenFd both null", typeof(ArgumentException) },
        { "OpenFile empty", typeof(ArgumentException) },
        { "OpenFile NUL", typeof(ArgumentException) },
        { "OpenFile bad access", typeof(ArgumentException) },
        { "WithOpenTimeout negative", typeof(ArgumentOutOfRangeException) },
        { "LengthPrefixed header 3", typeof(ArgumentOutOfRangeException) },
        { "LengthPrefixed header 0", typeof(ArgumentOutOfRangeException) },
        { "LengthPrefixed negative limit", typeof(ArgumentOutOfRangeException) },
        { "Line 0", typeof(ArgumentOutOfRangeException) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidValue_ThrowsTheDocumentedException_AtTheCall(string call, Type expected)
    {
        Func<object?> act = call switch
        {
            "Spawn empty" => () => Port.Spawn(""),
            "Spawn NUL" => () => Port.Spawn("a\0b"),
            "SpawnExecutable empty" => () => Port.SpawnExecutable(""),
            "SpawnExecutable NUL" => () => Port.SpawnExecutable("/bin/a\0b"),
            "SpawnExecutable bytes empty" => () => Port.SpawnExecutable(ReadOnlySpan<byte>.Empty),
            "SpawnExecutable bytes NUL" => () => Port.SpawnExecutable("/bin/a\0b"u8),
            "WithArguments NUL" => () => Exe.WithArguments("a\0b"),
            "WithArguments on a shell command" => () => Shell.WithArguments("a"),
            "WithArgument bytes NUL" => () => Exe.WithArgument("a\0b"u8),
            "WithArg0 NUL" => () => Exe.WithArg0("a\0b"),
            "WithArg0 on a shell command" => () => Shell.WithArg0("a"),
            "WithEnvironment empty name" => () => Exe.WithEnvironment("", "v"),
            "WithEnvironment name with =" => () => Exe.WithEnvironment("A=B", "v"),
            "WithEnvironment name with NUL" => () => Exe.WithEnvironment("A\0", "v"),
            "WithEnvironment value with NUL" => () => Exe.WithEnvironment("A", "v\0"),
            "WithWorkingDirectory empty" => () => Exe.WithWorkingDirectory(""),
            "WithWorkingDirectory NUL" => () => Exe.WithWorkingDirectory("/tmp\0x"),
            "WithWorkingDirectory bytes NUL" => () => Exe.WithWorkingDirectory("/tmp\0x"u8),
            "WithPipeSize 0" => () => Exe.WithPipeSize(0),
            "WithPipeSize negative" => () => Exe.WithPipeSize(-1),
            "WithBusyLimits low 0" => () => Exe.WithBusyLimits(0, 10),
            "WithBusyLimits high negative" => () => Exe.WithBusyLimits(1, -10),
            "WithBusyLimits low above high" => () => Exe.WithBusyLimits(100, 10),
            "WithFlushTimeout negative" => () => Exe.WithFlushTimeout(TimeSpan.FromSeconds(-1)),
            "ExecuteBufferedAsync maxBytes 0" => () => Exe.ExecuteBufferedAsync(0),
            "OpenFd both negative" => () => Port.OpenFd(-1, -1),
            "OpenFd both null" => () => Port.OpenFd(null, null),
            "OpenFile empty" => () => Port.OpenFile(""),
            "OpenFile NUL" => () => Port.OpenFile("/tmp/a\0b"),
            "OpenFile bad access" => () => Port.OpenFile("/tmp/x", (FileAccess)42),
            "WithOpenTimeout negative" => () => Port.OpenFile("/tmp/x").WithOpenTimeout(TimeSpan.FromSeconds(-1)),
            "LengthPrefixed header 3" => () => FrameFormat.LengthPrefixed(3),
            "LengthPrefixed header 0" => () => FrameFormat.LengthPrefixed(0),
            "LengthPrefixed negative limit" => () => FrameFormat.LengthPrefixed(4, -1),
            "Line 0" => () => FrameFormat.Line(0),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no such case"),
        };
        Exception? error = null;
        try
        {
            // An async method must throw at the call too, not in the task it returns.
            object? result = act();
            if (result is Task task) await task.WaitAsync(PortTestKit.TestTimeout);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        Assert.NotNull(error);
        Assert.IsType(expected, error);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        // The spec itself is what is wrong for an option that does not apply to it: the message says so.
        bool specIsWrong = call.EndsWith("on a shell command", StringComparison.Ordinal);
        if (error is ArgumentException argument && !specIsWrong) Assert.False(string.IsNullOrEmpty(argument.ParamName), $"{call}: no parameter named in '{argument.Message}'");
    }
}

// The peer: a small console program the real-process tests talk to. One subcommand per behaviour,
// raw unbuffered byte I/O on the standard streams, explicit flushes. Exit codes: the command's own,
// 64 for a usage error, 74 for an I/O error (EPIPE included: the runtime ignores SIGPIPE).
using ReactivePortsPeer;

if (args.Length == 0)
{
    return Usage("no command");
}

try
{
    return Commands.Run(args[0], args.AsSpan(1).ToArray());
}
catch (IOException e)
{
    Std.Error($"peer: I/O error: {e.Message}\n");
    return 74;
}
catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException)
{
    return Usage(e.Message);
}

static int Usage(string why)
{
    Std.Error($"peer: {why}\nusage: peer <command> [args]; commands: {string.Join(", ", Commands.Names)}\n");
    return 64;
}

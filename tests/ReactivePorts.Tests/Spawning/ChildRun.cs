using System.Text;
using ReactivePorts.Interop;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>
/// A child started through <see cref="Spawner"/> with pipes on its standard streams, and bounded waits
/// (poll with a deadline) for its output and its exit, so no test can hang. Disposing kills and reaps a
/// child that is still running.
/// </summary>
internal sealed class ChildRun : IDisposable
{
    internal const int DefaultTimeoutMs = 15000;

    private ChildRun(ChildProcess process, SafeFdHandle? stdin, SafeFdHandle stdout, SafeFdHandle stderr)
    {
        Process = process;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    internal ChildProcess Process { get; }

    /// <summary>Our (non-blocking) end of the child's stdin, or null when the child got /dev/null.</summary>
    internal SafeFdHandle? Stdin { get; }

    /// <summary>Our (non-blocking) read end of the child's stdout.</summary>
    internal SafeFdHandle Stdout { get; }

    /// <summary>Our (non-blocking) read end of the child's stderr.</summary>
    internal SafeFdHandle Stderr { get; }

    /// <summary>Starts a program with piped stdout/stderr, stdin piped or /dev/null, and extra descriptors.</summary>
    internal static ChildRun Start(
        string executable,
        byte[][] argv,
        byte[][]? environment = null,
        string? workingDirectory = null,
        bool newProcessGroup = false,
        bool pipeStdin = false,
        IEnumerable<KeyValuePair<int, SpawnFd>>? extraFds = null)
    {
        var (stdoutRead, stdoutWrite) = Libc.Pipe();
        var (stderrRead, stderrWrite) = Libc.Pipe();
        (SafeFdHandle Read, SafeFdHandle Write)? stdin = pipeStdin ? Libc.Pipe() : null;
        try
        {
            var fds = new Dictionary<int, SpawnFd>
            {
                [0] = stdin is { } p ? SpawnFd.Dup(p.Read) : SpawnFd.DevNull,
                [1] = SpawnFd.Dup(stdoutWrite),
                [2] = SpawnFd.Dup(stderrWrite),
            };
            foreach (var (fd, source) in extraFds ?? []) fds[fd] = source;

            var info = new SpawnStartInfo(executable, argv, environment ?? SpawnEnvironment.Build(), fds, workingDirectory, newProcessGroup);
            ChildProcess process = Spawner.Start(info);

            Libc.SetNonBlocking(stdoutRead, true);
            Libc.SetNonBlocking(stderrRead, true);
            if (stdin is { } s) Libc.SetNonBlocking(s.Write, true);
            return new ChildRun(process, stdin?.Write, stdoutRead, stderrRead);
        }
        catch
        {
            // The start failed: nothing will ever read these ends.
            stdoutRead.Dispose();
            stderrRead.Dispose();
            stdin?.Write.Dispose();
            throw;
        }
        finally
        {
            // The child has its copies (or never existed); ours must go, or end of file never comes.
            stdoutWrite.Dispose();
            stderrWrite.Dispose();
            stdin?.Read.Dispose();
        }
    }

    /// <summary>Starts the peer with a command and arguments.</summary>
    internal static ChildRun StartPeer(params string[] commandAndArgs) => Start(Peer.Host, Peer.Argv(commandAndArgs));

    internal static ChildRun StartPeer(bool pipeStdin, params string[] commandAndArgs) =>
        Start(Peer.Host, Peer.Argv(commandAndArgs), pipeStdin: pipeStdin);

    internal string ReadStdoutText(int timeoutMs = DefaultTimeoutMs) => Encoding.UTF8.GetString(Fds.ReadToEnd(Stdout, timeoutMs));

    internal ExitStatus WaitForExit(int timeoutMs = DefaultTimeoutMs) => Fds.WaitForExit(Process, timeoutMs);

    /// <summary>Closes stdin, reads stdout and stderr to their ends (concurrently), and reaps.</summary>
    internal (byte[] Stdout, byte[] Stderr, ExitStatus Status) Complete(int timeoutMs = DefaultTimeoutMs)
    {
        Stdin?.Dispose();
        Task<byte[]> stderr = Task.Run(() => Fds.ReadToEnd(Stderr, timeoutMs));
        byte[] stdout = Fds.ReadToEnd(Stdout, timeoutMs);
        return (stdout, stderr.GetAwaiter().GetResult(), WaitForExit(timeoutMs));
    }

    /// <summary><see cref="Complete"/> with the streams as UTF-8 text.</summary>
    internal (string Stdout, string Stderr, ExitStatus Status) CompleteText(int timeoutMs = DefaultTimeoutMs)
    {
        var (stdout, stderr, status) = Complete(timeoutMs);
        return (Encoding.UTF8.GetString(stdout), Encoding.UTF8.GetString(stderr), status);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.PidFd!.IsClosed && Process.Status is null && Process.TryReap() is null)
            {
                Process.Signal(Libc.SIGKILL);
                Fds.WaitForExit(Process, 5000);
            }
        }
        finally
        {
            Process.Dispose();
            Stdin?.Dispose();
            Stdout.Dispose();
            Stderr.Dispose();
        }
    }
}

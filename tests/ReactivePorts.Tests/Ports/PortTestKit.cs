using System.Reactive.Linq;
using System.Text;
using ReactivePorts.Framing;
using ReactivePorts.Interop;

namespace ReactivePorts.Tests.Ports;

/// <summary>Shared helpers for the real-process port tests: specs for sh and the peer, recorders, cleanup.</summary>
internal static class PortTestKit
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>/bin/sh -c <paramref name="script"/> with $0, $1… taken from <paramref name="args"/>.</summary>
    public static SpawnSpec Sh(string script, params string[] args) =>
        Port.SpawnExecutable("/bin/sh").WithArguments(["-c", script, .. args]);

    /// <summary>The peer console app running <paramref name="commandAndArgs"/>.</summary>
    public static SpawnSpec PeerSpec(params string[] commandAndArgs) =>
        Port.SpawnExecutable(Peer.Host).WithArguments([Peer.Path, .. commandAndArgs]);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>The event kinds other than data, as strings ("Eof", "Exited(exit code 7)", "Closed").</summary>
    public static List<string> Kinds(IEnumerable<PortEvent> events) =>
        events.Where(e => e is not PortData).Select(e => e.ToString()!).ToList();

    /// <summary>Waits, without sleeping, until a process that is not our child has gone (pidfd readable), or the timeout.</summary>
    public static bool WaitForProcessExit(int pid, TimeSpan timeout)
    {
        int rc = Libc.PidFdOpen(pid, out var pidfd);
        if (rc == -Libc.ESRCH) return true; // already gone (and reaped)
        using (pidfd)
        {
            if (rc < 0) throw Libc.IOError("pidfd_open", -rc);
            return Libc.PollOne(pidfd!, 1 /* POLLIN */, (int)timeout.TotalMilliseconds) > 0;
        }
    }

    /// <summary>Whether a process with this pid exists (kill(pid, 0)).</summary>
    public static bool IsAlive(int pid) => Libc.Kill(pid, 0) == 0;

    /// <summary>Whether <paramref name="pid"/> is a zombie (exited, never reaped).</summary>
    public static bool IsZombie(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path)) return false;
        var stat = File.ReadAllText(path);
        return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
    }

    /// <summary>Runs <paramref name="spec"/> to completion and returns its standard output as text.</summary>
    public static async Task<string> RunText(SpawnSpec spec)
    {
        var result = await spec.ExecuteBufferedAsync().WaitAsync(TestTimeout);
        return Encoding.UTF8.GetString(result.StandardOutput);
    }

    /// <summary>Makes a FIFO (with mkfifo(1), run through a port).</summary>
    public static async Task<string> MakeFifo(string directory)
    {
        string path = Path.Combine(directory, "fifo");
        var result = await Port.SpawnExecutable("/usr/bin/mkfifo").WithArguments(path).ExecuteBufferedAsync().WaitAsync(TestTimeout);
        Assert.True(result.Status.Success, result.Status.ToString());
        return path;
    }
}

/// <summary>A temporary directory, deleted with everything in it when disposed.</summary>
internal sealed class TempDir(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, true);
}

/// <summary>Records everything a port does (events and packets), with tasks for completion and for each event kind.</summary>
internal sealed class PortRecorder
{
    private readonly object _gate = new();
    private readonly List<PortEvent> _events = new();
    private readonly List<Packet> _packets = new();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _eof = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writeFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Packet> _firstPacket = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Subscribes to the events and then the output (which starts reading).</summary>
    public PortRecorder(Port port, bool subscribeOutput = true)
    {
        Port = port;
        port.Events.Subscribe(e =>
        {
            lock (_gate) _events.Add(e);
            switch (e)
            {
                case PortEof: _eof.TrySetResult(); break;
                case PortExited: _exited.TrySetResult(); break;
                case PortWriteFailed: _writeFailed.TrySetResult(); break;
            }
        });
        if (!subscribeOutput) return;
        port.Output.Subscribe(
            p =>
            {
                lock (_gate) _packets.Add(p);
                _firstPacket.TrySetResult(p);
            },
            ex => { Error = ex; ExitKnownAtCompletion = port.Exit.IsCompleted; _completed.TrySetResult(); },
            () => { ExitKnownAtCompletion = port.Exit.IsCompleted; _completed.TrySetResult(); });
    }

    public Port Port { get; }

    public Exception? Error { get; private set; }

    public bool ExitKnownAtCompletion { get; private set; }

    public List<PortEvent> Events { get { lock (_gate) return _events.ToList(); } }

    public List<Packet> Packets { get { lock (_gate) return _packets.ToList(); } }

    public byte[] Bytes
    {
        get
        {
            lock (_gate) return _packets.SelectMany(p => p.Payload.ToArray()).ToArray();
        }
    }

    public string Text => Encoding.UTF8.GetString(Bytes);

    public List<string> Kinds => PortTestKit.Kinds(Events);

    public Task Completed => _completed.Task.WaitAsync(PortTestKit.TestTimeout);

    public Task Eof => _eof.Task.WaitAsync(PortTestKit.TestTimeout);

    public Task Exited => _exited.Task.WaitAsync(PortTestKit.TestTimeout);

    public Task WriteFailed => _writeFailed.Task.WaitAsync(PortTestKit.TestTimeout);

    public Task<Packet> FirstPacket => _firstPacket.Task.WaitAsync(PortTestKit.TestTimeout);

    public bool IsCompleted => _completed.Task.IsCompleted;
}

/// <summary>Ports a test opened: on dispose, any child still running is killed and every port closed, so nothing outlives the test.</summary>
internal sealed class PortScope : IAsyncDisposable
{
    private readonly List<Port> _ports = new();
    private readonly List<int> _pids = new();

    public Port Add(Port port)
    {
        lock (_ports) _ports.Add(port);
        return port;
    }

    public Port Open(SpawnSpec spec) => Add(spec.Open());

    /// <summary>A process that is not a port's child (a grandchild) to kill at the end.</summary>
    public void AddPid(int pid)
    {
        lock (_pids) _pids.Add(pid);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (int pid in _pids) Libc.Kill(pid, Libc.SIGKILL);
        foreach (var port in _ports)
        {
            port.KillAfterClose();
            port.Dispose();
        }
        foreach (var port in _ports)
        {
            // Reaped, so no zombie is left; a port on a disposed private loop may never report.
            await Task.WhenAny(port.Exit, Task.Delay(PortTestKit.TestTimeout));
        }
    }
}

/// <summary>
/// Receives packets written by several writers at once (see <see cref="Payload"/>) and checks that
/// each writer's packets arrive in its order, with the last byte intact.
/// </summary>
internal sealed class PerWriterOrder(int writers) : IObserver<Packet>
{
    private readonly long[] _next = new long[writers];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A payload of <paramref name="size"/> bytes (at least 9): the writer in byte 0, the sequence number (big-endian) in bytes 1–8, its low byte last.</summary>
    public static byte[] Payload(int writer, long seq, int size)
    {
        var payload = new byte[size];
        payload[0] = (byte)writer;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), seq);
        payload[^1] = (byte)seq;
        return payload;
    }

    public long Received { get; private set; }

    /// <summary>The first packet out of order, if any.</summary>
    public string? Failure { get; private set; }

    /// <summary>Completes when the output completes; faults with its error.</summary>
    public Task Done => _done.Task;

    public void OnNext(Packet packet)
    {
        var span = packet.Payload.Span;
        int writer = span[0];
        long seq = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span[1..]);
        if (seq != _next[writer] || span[^1] != (byte)seq) Failure ??= $"writer {writer}: got {seq}, expected {_next[writer]}";
        _next[writer]++;
        Received++;
    }

    public void OnError(Exception error) => _done.TrySetException(error);

    public void OnCompleted() => _done.TrySetResult();
}

using ReactivePorts.Interop;
using ReactivePorts.Reliability.Tests.Invariants;
using ReactivePorts.Reliability.Tests.Native;
using ReactivePorts.Tests.Ports;

namespace ReactivePorts.Reliability.Tests.Leaks;

/// <summary>The kinds of open/close cycle the leak tests repeat.</summary>
public enum CycleKind
{
    /// <summary>A child writes a random amount of the seeded stream and exits 0; every byte checked.</summary>
    SpawnExit,
    /// <summary>A sleeping child killed through the port (SIGKILL).</summary>
    SpawnKilled,
    /// <summary>A child writes, then crashes (SIGSEGV); every byte checked.</summary>
    SpawnCrashed,
    /// <summary>`yes`, its output subscription disposed after the first packet (the port closes mid-stream; yes gets EPIPE).</summary>
    SpawnClosedMidStream,
    /// <summary>A child that never reads, a full queue, CloseAsync with a 10 ms flush timeout and kill-on-close.</summary>
    SpawnNeverReading,
    /// <summary>A port on a pipe's read end (owned): bytes written and the writer closed; eof ends it.</summary>
    FdPipe,
    /// <summary>A port on a pipe, closed while the writer is still open.</summary>
    FdClosedMidStream,
    /// <summary>A file read to its end.</summary>
    FileRead,
    /// <summary>A file written, then closed (flushed).</summary>
    FileWrite,
}

/// <summary>One open/close cycle of each <see cref="CycleKind"/>, checking its own outcome; shared files live in <see cref="Files"/>.</summary>
internal sealed class LeakCycles(TempDir files)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] Block = ByteStream.Prefix(1, 100 * 1024);

    public TempDir Files { get; } = files;

    /// <summary>The file the read cycles read (64 KiB of the stream of seed 7).</summary>
    public string ReadFile { get; } = WriteReadFile(files);

    public async Task Run(CycleKind kind, int cycle)
    {
        switch (kind)
        {
            case CycleKind.SpawnExit: await SpawnAndCheck(cycle, "exit:0", s => s.ExitCode == 0); break;
            case CycleKind.SpawnCrashed: await SpawnAndCheck(cycle, "segv", s => s.Signal == 11); break;
            case CycleKind.SpawnKilled: await SpawnKilled(); break;
            case CycleKind.SpawnClosedMidStream: await SpawnClosedMidStream(); break;
            case CycleKind.SpawnNeverReading: await SpawnNeverReading(); break;
            case CycleKind.FdPipe: await FdPipe(cycle, closeMidStream: false); break;
            case CycleKind.FdClosedMidStream: await FdPipe(cycle, closeMidStream: true); break;
            case CycleKind.FileRead: await FileRead(); break;
            case CycleKind.FileWrite: await FileWrite(cycle); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static async Task SpawnAndCheck(int cycle, string end, Func<ExitStatus, bool> expected)
    {
        ulong seed = (ulong)cycle * 7919 + 1;
        long total = (long)(seed % 20_000);
        var port = NativeChildren.WriterSpec(seed, total, 4096, end).Open();
        var check = DeliveryCheck.Start(port, seed);
        await check.Completed.WaitAsync(Timeout);
        var status = await port.Exit.WaitAsync(Timeout);
        if (check.Problem(total) is { } problem) throw new InvalidOperationException($"cycle {cycle}: {problem}");
        if (!expected(status)) throw new InvalidOperationException($"cycle {cycle}: unexpected {status}");
    }

    private static async Task SpawnKilled()
    {
        var port = Port.SpawnExecutable("/bin/sleep").WithArguments("60").Open();
        var completed = Completion(port);
        await port.Started.WaitAsync(Timeout);
        port.Kill();
        var status = await port.Exit.WaitAsync(Timeout);
        await completed.WaitAsync(Timeout);
        if (status.Signal != 9) throw new InvalidOperationException($"killed child: {status}");
    }

    private static async Task SpawnClosedMidStream()
    {
        var port = Port.SpawnExecutable("/usr/bin/yes").Open();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = port.Output.Subscribe(_ => first.TrySetResult(), _ => { });
        await first.Task.WaitAsync(Timeout);
        subscription.Dispose(); // the port closes: our read end goes, yes gets EPIPE (SIGPIPE)
        var status = await port.Exit.WaitAsync(Timeout);
        await port.Completion.WaitAsync(Timeout);
        if (status.Signal != 13) throw new InvalidOperationException($"yes after the close: {status}");
    }

    private static async Task SpawnNeverReading()
    {
        var port = Port.SpawnExecutable("/bin/sleep").WithArguments("60").WithKillOnClose().Open();
        var completed = Completion(port);
        port.WriteForced(Block); // more than the pipe holds: most of it stays queued
        long dropped = await port.CloseAsync(TimeSpan.FromMilliseconds(10)).WaitAsync(Timeout);
        var status = await port.Exit.WaitAsync(Timeout);
        await completed.WaitAsync(Timeout);
        if (dropped <= 0 || dropped > Block.Length) throw new InvalidOperationException($"never-reading child: {dropped} bytes dropped");
        if (status.Signal != 9) throw new InvalidOperationException($"never-reading child after kill-on-close: {status}");
    }

    private static async Task FdPipe(int cycle, bool closeMidStream)
    {
        var (read, write) = Libc.Pipe();
        Port port;
        try
        {
            port = Port.OpenFd(read, null).WithOwnership().Open();
        }
        catch
        {
            // Not opened: the port owns nothing.
            read.Dispose();
            write.Dispose();
            throw;
        }
        using (write)
        {
            ulong seed = (ulong)cycle + 11;
            int total = (int)(seed % 8000) + 1;
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var check = DeliveryCheck.Start(port, seed, onPacket: _ => first.TrySetResult());
            byte[] data = ByteStream.Prefix(seed, total);
            if (Libc.Write(write.Fd, data) != total) throw new InvalidOperationException("short write into an empty pipe");
            if (closeMidStream)
            {
                await first.Task.WaitAsync(Timeout);
                await port.CloseAsync().WaitAsync(Timeout);
                await check.Completed.WaitAsync(Timeout);
                if (check.Verifier.Mismatch(check.Verifier.Count) is { } problem) throw new InvalidOperationException(problem);
                return;
            }
            write.Dispose(); // eof
            await check.Completed.WaitAsync(Timeout);
            if (check.Verifier.Mismatch(total) is { } mismatch) throw new InvalidOperationException(mismatch);
        }
    }

    private async Task FileRead()
    {
        var port = Port.OpenFile(ReadFile).Open();
        var check = DeliveryCheck.Start(port, 7);
        await check.Completed.WaitAsync(Timeout);
        if (check.Verifier.Mismatch(64 * 1024) is { } mismatch) throw new InvalidOperationException(mismatch);
    }

    private async Task FileWrite(int cycle)
    {
        string path = Files.File($"w{cycle}"); // a file of its own: cycles run concurrently
        var port = Port.OpenFile(path, FileAccess.Write).Open();
        await port.WriteAsync(Block.AsMemory(0, 4096)).AsTask().WaitAsync(Timeout);
        long dropped = await port.CloseAsync().WaitAsync(Timeout);
        long length = new FileInfo(path).Length;
        File.Delete(path);
        if (dropped != 0 || length != 4096) throw new InvalidOperationException($"file write: {dropped} dropped, {length} bytes in the file");
    }

    /// <summary>The port's completion, read by subscribing its output (so reading starts).</summary>
    private static Task Completion(Port port)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Output.Subscribe(_ => { }, _ => done.TrySetResult(), () => done.TrySetResult());
        return done.Task;
    }

    private static string WriteReadFile(TempDir files)
    {
        string path = files.File("read");
        File.WriteAllBytes(path, ByteStream.Prefix(7, 64 * 1024));
        return path;
    }
}

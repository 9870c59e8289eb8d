using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

internal static unsafe partial class Spawner
{
    /// <summary>
    /// Lays argv and envp out in one native block: two NULL-terminated pointer arrays followed by the
    /// NUL-terminated strings. The caller frees the block.
    /// </summary>
    private static byte* MarshalArgvEnvp(SpawnStartInfo info, out byte** argv, out byte** envp)
    {
        ReadOnlySpan<byte[]> arguments = info.RawArguments, environment = info.RawEnvironment;
        nuint pointers = (nuint)(arguments.Length + 1 + environment.Length + 1) * (nuint)sizeof(byte*);
        nuint strings = 0;
        foreach (byte[] a in arguments) strings += (nuint)a.Length + 1;
        foreach (byte[] e in environment) strings += (nuint)e.Length + 1;

        byte* block = (byte*)NativeMemory.Alloc(pointers + strings);
        argv = (byte**)block;
        envp = argv + arguments.Length + 1;
        byte* next = block + pointers;
        next = Fill(argv, arguments, next);
        Fill(envp, environment, next);
        return block;
    }

    private static byte* Fill(byte** array, ReadOnlySpan<byte[]> items, byte* next)
    {
        for (int i = 0; i < items.Length; i++)
        {
            array[i] = next;
            items[i].AsSpan().CopyTo(new Span<byte>(next, items[i].Length));
            next += items[i].Length;
            *next++ = 0;
        }
        array[items.Length] = null;
        return next;
    }

    /// <summary>
    /// posix_spawn cannot say whether the chdir or the exec failed; when a working directory was asked for
    /// and the error is a path error, the directory is looked at (after the fact, not as a pre-check): if
    /// it cannot be opened as a directory or searched, the chdir failed, else the exec did.
    /// </summary>
    private static PortSpawnException StartFailure(int errno, SpawnStartInfo info)
    {
        if (info.WorkingDirectoryBytes is { } directory
            && errno is Libc.ENOENT or Libc.ENOTDIR or Libc.EACCES or Libc.ELOOP or Libc.ENAMETOOLONG)
        {
            int probe = Libc.TryOpen(directory, Libc.O_PATH | Libc.O_DIRECTORY, 0, out SafeFdHandle? handle);
            handle?.Dispose();
            if (probe == 0) probe = Libc.Access(directory, Libc.X_OK);
            if (probe < 0) return PortSpawnException.ForWorkingDirectory(errno, directory, info.ExecutableBytes);
        }
        return PortSpawnException.ForExec(errno, info.ExecutableBytes);
    }

    /// <summary>Opens the pidfd of a just-started child.</summary>
    private static ChildProcess Track(int pid, bool ownProcessGroup)
    {
        int result = Libc.PidFdOpen(pid, out SafePidFdHandle? pidFd);
        if (result == 0) return new ChildProcess(pid, pidFd, ownProcessGroup);

        // ESRCH: something else (a runtime that reaps every child) already collected it; the status is lost.
        if (result == -Libc.ESRCH) return new ChildProcess(pid, null, ownProcessGroup);

        // Any other failure (EMFILE...) leaves a child we could not track. It is still unreaped, so its
        // pid cannot have been reused: kill and reap it by pid rather than leak it.
        Libc.Kill(pid, Libc.SIGKILL);
        Libc.WaitId(Libc.P_PID, (uint)pid, Libc.WEXITED, out _);
        throw Libc.IOError("pidfd_open", -result);
    }
}

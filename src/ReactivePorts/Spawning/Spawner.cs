using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// Starts processes with glibc's posix_spawn (vfork semantics: cheap from a large parent, and no managed
/// code runs between fork and exec). Every start failure comes back synchronously as posix_spawn's
/// return value and is thrown as a <see cref="PortSpawnException"/>; nothing is written to any stderr.
/// </summary>
internal static unsafe partial class Spawner
{
    /// <summary>
    /// Starts <paramref name="info"/>: the child gets exactly the descriptors of its map (everything else is
    /// closed, close-on-exec or not), the signal dispositions of <see cref="SignalDispositions"/> (default,
    /// except what this process ignores other than SIGPIPE), an empty signal mask, the working directory
    /// and process group asked for. A pidfd is opened right away.
    /// </summary>
    /// <exception cref="PortSpawnException">posix_spawn failed: ENOENT, EACCES, ENOEXEC, E2BIG, ENOTDIR, ENOMEM, EAGAIN...</exception>
    /// <exception cref="ObjectDisposedException">A source descriptor of the map is already closed.</exception>
    /// <exception cref="IOException">The child started but no pidfd could be opened (EMFILE); the child was killed and reaped.</exception>
    internal static ChildProcess Start(SpawnStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);

        var sources = new List<SafeFdHandle>(info.Fds.Count);
        var map = new List<(int Target, int Source)>(info.Fds.Count);
        void* fileActions = null, attributes = null;
        byte* block = null;
        bool actionsReady = false, attributesReady = false;
        try
        {
            // Hold every source so no other thread can close it (and a new file reuse its number) meanwhile.
            foreach ((int target, SpawnFd fd) in info.Fds)
            {
                int source = -1;
                if (fd.Source is { } handle)
                {
                    bool added = false;
                    handle.DangerousAddRef(ref added);
                    sources.Add(handle);
                    source = handle.Fd;
                }
                map.Add((target, source));
            }

            fileActions = NativeMemory.AllocZeroed(Libc.PosixSpawnFileActionsSize);
            Check(Libc.PosixSpawnFileActionsInit(fileActions), "posix_spawn_file_actions_init");
            actionsReady = true;
            if (info.WorkingDirectory is { } directory)
                Check(Libc.PosixSpawnFileActionsAddChdir(fileActions, directory), "posix_spawn_file_actions_addchdir_np");
            foreach (FdAction action in FdPlan.Build(map))
                Check(AddAction(fileActions, action), "posix_spawn_file_actions_add");

            attributes = NativeMemory.AllocZeroed(Libc.PosixSpawnAttrSize);
            Check(Libc.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            SetAttributes(attributes, info.NewProcessGroup);

            block = MarshalArgvEnvp(info, out byte** argv, out byte** envp);
            int error = Libc.PosixSpawn(out int pid, info.Executable, fileActions, attributes, argv, envp);
            if (error != 0) throw StartFailure(error, info);
            return Track(pid, info.NewProcessGroup);
        }
        finally
        {
            NativeMemory.Free(block);
            if (attributesReady) Libc.PosixSpawnAttrDestroy(attributes);
            NativeMemory.Free(attributes);
            if (actionsReady) Libc.PosixSpawnFileActionsDestroy(fileActions);
            NativeMemory.Free(fileActions);
            foreach (SafeFdHandle handle in sources) handle.DangerousRelease();
        }
    }

    private static int AddAction(void* fileActions, FdAction action) => action.Kind switch
    {
        FdActionKind.Dup2 => Libc.PosixSpawnFileActionsAddDup2(fileActions, action.Source, action.Fd),
        FdActionKind.OpenDevNull => Libc.PosixSpawnFileActionsAddOpen(fileActions, action.Fd, "/dev/null", Libc.O_RDWR, 0),
        FdActionKind.Close => Libc.PosixSpawnFileActionsAddClose(fileActions, action.Fd),
        _ => Libc.PosixSpawnFileActionsAddCloseFrom(fileActions, action.Fd),
    };

    private static void SetAttributes(void* attributes, bool newProcessGroup)
    {
        byte* reset = stackalloc byte[Libc.SigSetSize];
        byte* none = stackalloc byte[Libc.SigSetSize];
        Libc.SigEmptySet(reset);
        Libc.SigEmptySet(none);
        SignalDispositions.FillReset(reset);
        // glibc's child then leaves every other signal as this process has it, with one adjustment exec
        // would make anyway: a handler becomes SIG_DFL. So a signal ignored here stays ignored there, and
        // nothing the calling thread blocks stays blocked.
        Check(Libc.PosixSpawnAttrSetSigDefault(attributes, reset), "posix_spawnattr_setsigdefault");
        Check(Libc.PosixSpawnAttrSetSigMask(attributes, none), "posix_spawnattr_setsigmask");
        short flags = Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK;
        if (newProcessGroup)
        {
            Check(Libc.PosixSpawnAttrSetPGroup(attributes, 0), "posix_spawnattr_setpgroup");
            flags |= Libc.POSIX_SPAWN_SETPGROUP;
        }
        Check(Libc.PosixSpawnAttrSetFlags(attributes, flags), "posix_spawnattr_setflags");
    }

    // The posix_spawn_* setup calls only fail on ENOMEM or a bad descriptor number (EBADF).
    private static void Check(int error, string call)
    {
        if (error != 0) throw Libc.IOError(call, error);
    }
}

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
    /// closed, close-on-exec or not), every signal disposition at default, an empty signal mask, the
    /// working directory and process group asked for. A pidfd is opened right away.
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
        byte* all = stackalloc byte[Libc.SigSetSize];
        byte* none = stackalloc byte[Libc.SigSetSize];
        Libc.SigFillSet(all);
        Libc.SigEmptySet(none);
        // sigfillset leaves out glibc's two internal signals (32 SIGCANCEL, 33 SIGSETXID), and glibc 2.36's
        // child sets those to SIG_IGN before exec unless they are in the default set, so every exec'd
        // program would start with them ignored (measured: SigIgn 0x180000000). sigaddset refuses them;
        // the bits are set directly (bit n-1 of a little-endian bitmap). Nothing in the parent can send
        // them to the child between clone and exec: they go to the parent's own thread ids.
        foreach (int internalSignal in (ReadOnlySpan<int>)[32, 33])
            all[(internalSignal - 1) / 8] |= (byte)(1 << ((internalSignal - 1) % 8));
        // Every disposition back to SIG_DFL, so an ignored SIGPIPE (the .NET runtime ignores it) does not
        // survive the exec, and nothing the calling thread blocks stays blocked in the child.
        Check(Libc.PosixSpawnAttrSetSigDefault(attributes, all), "posix_spawnattr_setsigdefault");
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

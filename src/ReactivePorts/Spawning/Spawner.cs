using System.Runtime.InteropServices;
using ReactivePorts.Interop;

namespace ReactivePorts.Spawning;

/// <summary>
/// Starts processes with glibc's posix_spawn (vfork semantics: cheap from a large parent, and no managed
/// code runs between fork and exec). Every start failure is synchronous and thrown as a
/// <see cref="PortSpawnException"/> naming its stage; nothing is written to any stderr:
/// <list type="number">
/// <item><see cref="PortSpawnStage.Executable"/>: first, access(executable, X_OK), Erlang's open-time
/// check (missing → ENOENT, not executable → EACCES). A directory passes it, as in Erlang.</item>
/// <item>Then posix_spawn, whose return value is the errno of the chdir or the exec in the child. With
/// a working directory and a path-kind errno, the directory is looked at after the fact (open
/// O_PATH|O_DIRECTORY and access X_OK): if it is unusable the failure is
/// <see cref="PortSpawnStage.WorkingDirectory"/>, otherwise (and always without one) it is
/// <see cref="PortSpawnStage.Exec"/> with posix_spawn's errno (a directory → EACCES, no <c>#!</c> →
/// ENOEXEC, E2BIG…).</item>
/// </list>
/// A file removed between the check and the exec is reported as Exec ENOENT, which is what happened.
/// </summary>
internal static unsafe partial class Spawner
{
    /// <summary>
    /// Starts <paramref name="info"/>: the child gets exactly the descriptors of its map (everything else is
    /// closed, close-on-exec or not), the signal dispositions of <see cref="SignalDispositions"/> (default,
    /// except what this process ignores other than SIGPIPE), an empty signal mask, the working directory
    /// and process group asked for. A pidfd is opened right away.
    /// </summary>
    /// <exception cref="PortSpawnException">The executable check, the chdir or the exec failed (see the class remarks for the stages).</exception>
    /// <exception cref="ObjectDisposedException">A source descriptor of the map is already closed.</exception>
    /// <exception cref="IOException">The child started but no pidfd could be opened (EMFILE); the child was killed and reaped.</exception>
    internal static ChildProcess Start(SpawnStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        int check = Libc.Access(info.ExecutableBytes, Libc.X_OK);
        if (check < 0) throw PortSpawnException.ForExecutableCheck(-check, info.ExecutableBytes);

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
            if (info.WorkingDirectoryBytes is { } directory)
            {
                fixed (byte* path = Libc.CString(directory))
                    Check(Libc.PosixSpawnFileActionsAddChdir(fileActions, path), "posix_spawn_file_actions_addchdir_np");
            }
            foreach (FdAction action in FdPlan.Build(map))
                Check(AddAction(fileActions, action), "posix_spawn_file_actions_add");

            attributes = NativeMemory.AllocZeroed(Libc.PosixSpawnAttrSize);
            Check(Libc.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            SetAttributes(attributes, info.NewProcessGroup);

            block = MarshalArgvEnvp(info, out byte** argv, out byte** envp);
            int error, pid;
            fixed (byte* path = Libc.CString(info.ExecutableBytes))
                error = Libc.PosixSpawn(out pid, path, fileActions, attributes, argv, envp);
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

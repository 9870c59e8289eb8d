#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

// The posix_spawn family returns an error number instead of setting errno, so these imports do
// not ask for SetLastError: the result is 0 or the errno value itself.
internal static unsafe partial class Libc
{
    /// <summary><c>sizeof(posix_spawn_file_actions_t)</c> and <c>sizeof(posix_spawnattr_t)</c> in glibc on 64-bit Linux.</summary>
    internal const int PosixSpawnFileActionsSize = 80, PosixSpawnAttrSize = 336;

    internal const short POSIX_SPAWN_RESETIDS = 0x1, POSIX_SPAWN_SETPGROUP = 0x2, POSIX_SPAWN_SETSIGDEF = 0x4,
        POSIX_SPAWN_SETSIGMASK = 0x8, POSIX_SPAWN_SETSCHEDPARAM = 0x10, POSIX_SPAWN_SETSCHEDULER = 0x20,
        POSIX_SPAWN_SETSID = 0x80;

    /// <summary>
    /// posix_spawn(3): 0 and the child's pid, or the error number of whatever failed before exec succeeded.
    /// <paramref name="path"/> is a NUL-terminated byte string (file names need not be UTF-8).
    /// </summary>
    [LibraryImport(Name, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    /// <summary>Adds an open; glibc copies <paramref name="path"/>, and closes <paramref name="fd"/> first if it is open.</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PosixSpawnFileActionsAddOpen(void* fileActions, int fd, string path, int flags, uint mode);

    /// <summary>Adds a close; in the child, closing a descriptor that is not open is not an error.</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_addclose")]
    internal static partial int PosixSpawnFileActionsAddClose(void* fileActions, int fd);

    /// <summary>Adds a chdir (glibc 2.29); glibc copies <paramref name="path"/>, a NUL-terminated byte string.</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    internal static partial int PosixSpawnFileActionsAddChdir(void* fileActions, byte* path);

    /// <summary>Closes every descriptor from <paramref name="lowFd"/> up, CLOEXEC or not (glibc 2.34, close_range).</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int PosixSpawnFileActionsAddCloseFrom(void* fileActions, int lowFd);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_init")]
    internal static partial int PosixSpawnAttrInit(void* attributes);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int PosixSpawnAttrDestroy(void* attributes);

    [LibraryImport(Name, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int PosixSpawnAttrSetFlags(void* attributes, short flags);

    /// <summary>The signals whose disposition the child resets to SIG_DFL (with <see cref="POSIX_SPAWN_SETSIGDEF"/>).</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int PosixSpawnAttrSetSigDefault(void* attributes, byte* sigset);

    /// <summary>The child's signal mask (with <see cref="POSIX_SPAWN_SETSIGMASK"/>).</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int PosixSpawnAttrSetSigMask(void* attributes, byte* sigset);

    /// <summary>The child's process group (with <see cref="POSIX_SPAWN_SETPGROUP"/>); 0 makes a new group led by the child.</summary>
    [LibraryImport(Name, EntryPoint = "posix_spawnattr_setpgroup")]
    internal static partial int PosixSpawnAttrSetPGroup(void* attributes, int pgroup);
}

namespace ReactivePorts;

/// <summary>Which step of starting a process failed (<see cref="PortSpawnException.Stage"/>).</summary>
public enum PortSpawnStage
{
    /// <summary>
    /// The open-time check of the executable, before any process exists (Erlang's access check): the file
    /// is missing (ENOENT), may not be executed (EACCES), a path component is not a directory (ENOTDIR)…,
    /// or a PATH search found nothing. <see cref="PortSpawnException.Path"/> is the executable (or the name searched).
    /// </summary>
    Executable,

    /// <summary>
    /// The exec itself, in the new process: the file passed the check but cannot be run: a directory
    /// (EACCES), a script without <c>#!</c> (ENOEXEC), arguments and environment too large (E2BIG), a
    /// missing interpreter (ENOENT)… <see cref="PortSpawnException.Path"/> is the executable.
    /// </summary>
    Exec,

    /// <summary>
    /// Changing into the working directory, in the new process: missing (ENOENT), not a directory
    /// (ENOTDIR), not searchable (EACCES)… <see cref="PortSpawnException.Path"/> is the directory.
    /// </summary>
    WorkingDirectory,
}

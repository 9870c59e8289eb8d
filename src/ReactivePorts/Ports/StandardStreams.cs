namespace ReactivePorts;

/// <summary>Keeps <see cref="Console.Out"/> off fd 1 while a port owns this process's standard output.</summary>
internal static class StandardStreams
{
    private static int s_moved;

    /// <summary>
    /// Points <see cref="Console.Out"/> at standard error, once: anything else written to fd 1 would
    /// land between the port's frames and corrupt them for the reader (an Erlang port reading
    /// <c>{packet,4}</c> would take the text for a length). What the old writer buffered is flushed first.
    /// </summary>
    public static void MoveConsoleOut()
    {
        if (Interlocked.Exchange(ref s_moved, 1) != 0) return;
        Console.Out.Flush();
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        Console.SetOut(stderr);
    }
}

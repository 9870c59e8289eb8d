namespace ReactivePorts.Spawning;

/// <summary>One step the child performs between fork and exec (a posix_spawn file action).</summary>
internal enum FdActionKind
{
    /// <summary>dup2(Source, Fd).</summary>
    Dup2,

    /// <summary>open("/dev/null", O_RDWR) as Fd.</summary>
    OpenDevNull,

    /// <summary>close(Fd); harmless if it is not open.</summary>
    Close,

    /// <summary>Close every descriptor from Fd up.</summary>
    CloseFrom,
}

/// <param name="Kind">What to do.</param>
/// <param name="Fd">The descriptor acted on (the target of a dup2, the first one closed by CloseFrom).</param>
/// <param name="Source">The descriptor copied by <see cref="FdActionKind.Dup2"/>; -1 otherwise.</param>
internal readonly record struct FdAction(FdActionKind Kind, int Fd, int Source = -1)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        FdActionKind.Dup2 => $"dup2({Source}, {Fd})",
        FdActionKind.OpenDevNull => $"open(/dev/null) as {Fd}",
        FdActionKind.Close => $"close({Fd})",
        _ => $"closefrom({Fd})",
    };
}

/// <summary>
/// Orders the file actions that give a child exactly the descriptors of its map. The actions run in
/// sequence in the child, so a parent descriptor whose number is also the target of a different mapping
/// (a swap of 3 and 4, or fd 1 sent to child fd 0 while fd 0 goes elsewhere) would be overwritten before
/// it is read: such sources are first copied to temporaries above every number in play. Then come the
/// dup2s, the /dev/null opens, closes for the unmapped numbers below the highest target, and one
/// closefrom above it, which also removes the temporaries and anything opened without close-on-exec.
/// </summary>
internal static class FdPlan
{
    /// <param name="map">(target, source) pairs with distinct targets; source -1 means /dev/null.</param>
    internal static List<FdAction> Build(IReadOnlyList<(int Target, int Source)> map)
    {
        var targets = new Dictionary<int, int>(map.Count);
        int highest = -1;
        foreach ((int target, int source) in map)
        {
            targets.Add(target, source);
            highest = Math.Max(highest, Math.Max(target, source));
        }
        int maxTarget = targets.Count == 0 ? -1 : targets.Keys.Max();

        var actions = new List<FdAction>(map.Count * 2 + 4);
        var temporaries = new Dictionary<int, int>();
        int nextTemporary = highest + 1;
        foreach ((int target, int source) in map)
        {
            // Overwritten before being read: the same number is the target of a dup2 from another source
            // (/dev/null opens come after every dup2, so they cannot clobber a source).
            bool clobbered = source >= 0 && targets.TryGetValue(source, out int other) && other >= 0 && other != source;
            if (clobbered && !temporaries.ContainsKey(source))
            {
                temporaries.Add(source, nextTemporary);
                actions.Add(new FdAction(FdActionKind.Dup2, nextTemporary++, source));
            }
        }

        foreach ((int target, int source) in map)
        {
            if (source >= 0)
                actions.Add(new FdAction(FdActionKind.Dup2, target, temporaries.GetValueOrDefault(source, source)));
        }

        foreach ((int target, int source) in map)
        {
            if (source < 0) actions.Add(new FdAction(FdActionKind.OpenDevNull, target));
        }

        for (int fd = 0; fd < maxTarget; fd++)
        {
            if (!targets.ContainsKey(fd)) actions.Add(new FdAction(FdActionKind.Close, fd));
        }

        actions.Add(new FdAction(FdActionKind.CloseFrom, maxTarget + 1));
        return actions;
    }
}

using System.Collections.Immutable;
using System.Text;
using ReactivePorts.Framing;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// What a scripted child does, registered in a <see cref="VirtualWorld"/> under a command or
/// executable name: timed steps ("at 100 write these bytes, at 250 close stdout, at 300 exit with
/// 3"), reactions to what it is sent ("when a packet arrives, answer after 50 ticks"), to the end
/// of its input and to signals, and how it reads and writes (split writes, a slow reader, one that
/// never reads, one never reaped). Immutable: each method returns a new script, so one script
/// serves many children.
/// </summary>
/// <remarks>
/// <para>Ticks are relative to the child's start (the tick its port was opened), as a cold
/// observable's; what the child records (<see cref="ScriptedChild.Received"/>...) is in absolute
/// ticks. A step due at the start tick runs at the next one (the test scheduler's rule for work
/// due now).</para>
/// <para>The child runs its steps in order, like a program: a write the pipe cannot take yet
/// blocks the steps after it until the port has read enough, as a real child blocks on a full
/// pipe. Reactions and signal handlers run when their event comes, whatever the steps do.</para>
/// </remarks>
public sealed class ChildScript
{
    /// <summary>The capacity of a Linux pipe by default, in bytes.</summary>
    public const int DefaultPipeCapacity = 65536;

    /// <summary>A child that does nothing until it is signalled: it reads what it is sent and never exits on its own.</summary>
    public static ChildScript Idle { get; } = new();

    private ChildScript() { }

    internal ImmutableList<(long At, Action<ScriptedChild> Action)> Steps { get; private set; } = [];

    internal ImmutableDictionary<int, Action<ScriptedChild>> SignalHandlers { get; private set; } = ImmutableDictionary<int, Action<ScriptedChild>>.Empty;

    internal Action<ScriptedChild, ReadOnlyMemory<byte>>? InputReaction { get; private set; }

    internal FrameFormat? InputFraming { get; private set; }

    internal Action<ScriptedChild>? InputEndReaction { get; private set; }

    internal ImmutableArray<int> WriteSizes { get; private set; } = [];

    internal long WriteGap { get; private set; } = 10;

    internal int? ReadSize { get; private set; }

    internal long ReadInterval { get; private set; } = 1;

    internal bool Reads { get; private set; } = true;

    internal long? ReapDelay { get; private set; } = 0;

    internal int PipeCapacity { get; private set; } = DefaultPipeCapacity;

    /// <summary>At <paramref name="at"/>, writes <paramref name="data"/> to standard output.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative.</exception>
    public ChildScript Write(long at, ReadOnlyMemory<byte> data)
    {
        byte[] copy = data.ToArray();
        return Do(at, child => child.Write(copy));
    }

    /// <summary>At <paramref name="at"/>, writes <paramref name="text"/> (UTF-8) to standard output.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative.</exception>
    public ChildScript Write(long at, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Write(at, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>At <paramref name="at"/>, closes standard output (the port sees end of file; a grandchild no longer holds it).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative.</exception>
    public ChildScript CloseOutput(long at) => Do(at, child => child.CloseOutput());

    /// <summary>At <paramref name="at"/>, closes standard input (the port's writes fail with EPIPE from then on).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative.</exception>
    public ChildScript CloseInput(long at) => Do(at, child => child.CloseInput());

    /// <summary>At <paramref name="at"/>, exits with <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative or <paramref name="code"/> is not 0..255.</exception>
    public ChildScript Exit(long at, int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 255);
        return Do(at, child => child.Exit(code));
    }

    /// <summary>At <paramref name="at"/>, dies by <paramref name="signal"/> (9: SIGKILL; reported as 128 + signal).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative or <paramref name="signal"/> is not 1..64.</exception>
    public ChildScript Die(long at, int signal)
    {
        ScriptedChild.CheckSignal(signal);
        return Do(at, child => child.Die(signal));
    }

    /// <summary>At <paramref name="at"/>, runs <paramref name="step"/> (any of the child's actions).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is negative.</exception>
    public ChildScript Do(long at, Action<ScriptedChild> step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(at);
        ArgumentNullException.ThrowIfNull(step);
        // Stable by time: steps due at the same tick run in the order given.
        int index = Steps.FindLastIndex(s => s.At <= at) + 1;
        return With(s => s.Steps = Steps.Insert(index, (at, step)));
    }

    /// <summary>Calls <paramref name="reaction"/> with every chunk the child reads from its standard input (as it arrives: any split).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reaction"/> is null.</exception>
    public ChildScript OnInput(Action<ScriptedChild, ReadOnlyMemory<byte>> reaction)
    {
        ArgumentNullException.ThrowIfNull(reaction);
        return With(s => { s.InputReaction = reaction; s.InputFraming = null; });
    }

    /// <summary>Calls <paramref name="reaction"/> with every packet the child reads, decoded with <paramref name="framing"/> (the port's, usually).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public ChildScript OnPacket(FrameFormat framing, Action<ScriptedChild, ReadOnlyMemory<byte>> reaction)
    {
        ArgumentNullException.ThrowIfNull(framing);
        ArgumentNullException.ThrowIfNull(reaction);
        return With(s => { s.InputReaction = reaction; s.InputFraming = framing; });
    }

    /// <summary>Answers every packet <paramref name="after"/> ticks later with what <paramref name="reply"/> returns (already framed: the child writes those bytes as they are).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative.</exception>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public ChildScript Reply(FrameFormat framing, long after, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        return OnPacket(framing, (child, packet) =>
        {
            byte[] answer = reply(packet).ToArray();
            child.After(after, c => c.Write(answer));
        });
    }

    /// <summary>Calls <paramref name="reaction"/> when the child reads end of file on its standard input (the port closed it).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reaction"/> is null.</exception>
    public ChildScript OnInputEnd(Action<ScriptedChild> reaction)
    {
        ArgumentNullException.ThrowIfNull(reaction);
        return With(s => s.InputEndReaction = reaction);
    }

    /// <summary>Handles <paramref name="signal"/> with <paramref name="handler"/> instead of dying of it (SIGKILL cannot be handled).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signal"/> is not 1..64, or is 9 (SIGKILL) or 19 (SIGSTOP).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public ChildScript OnSignal(int signal, Action<ScriptedChild> handler)
    {
        ScriptedChild.CheckSignal(signal);
        if (signal is ScriptedChild.SigKill or 19) throw new ArgumentOutOfRangeException(nameof(signal), signal, "SIGKILL and SIGSTOP cannot be caught.");
        ArgumentNullException.ThrowIfNull(handler);
        return With(s => s.SignalHandlers = SignalHandlers.SetItem(signal, handler));
    }

    /// <summary>Ignores <paramref name="signal"/> (as a program that sets SIG_IGN).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="signal"/> is not 1..64, or is SIGKILL or SIGSTOP.</exception>
    public ChildScript IgnoreSignal(int signal) => OnSignal(signal, static _ => { });

    /// <summary>
    /// Splits every write into pieces of these sizes (cycling; the last piece takes the rest), each
    /// written <paramref name="gap"/> ticks after the one before, so the port reads them apart and
    /// its framing meets every split.
    /// </summary>
    /// <exception cref="ArgumentException">No sizes, or a size that is not positive.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gap"/> is not positive.</exception>
    public ChildScript SplitWrites(IEnumerable<int> sizes, long gap = 10)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var list = sizes.ToImmutableArray();
        if (list.IsEmpty || list.Any(n => n <= 0)) throw new ArgumentException("Write sizes must be positive, and at least one is needed.", nameof(sizes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gap);
        return With(s => { s.WriteSizes = list; s.WriteGap = gap; });
    }

    /// <summary>A slow reader: reads at most <paramref name="bytes"/> at a time, at most once every <paramref name="interval"/> ticks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not positive.</exception>
    public ChildScript ReadSlowly(int bytes, long interval)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interval);
        return With(s => { s.ReadSize = bytes; s.ReadInterval = interval; s.Reads = true; });
    }

    /// <summary>Never reads its standard input: once the pipe is full, the port's writes queue and the port turns busy.</summary>
    public ChildScript NeverRead() => With(s => s.Reads = false);

    /// <summary>The exit is reaped (and reported to the port) <paramref name="ticks"/> after it happens (0, the default: at once).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ticks"/> is negative.</exception>
    public ChildScript ReapAfter(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        return With(s => s.ReapDelay = ticks);
    }

    /// <summary>The exit is never reaped: the port never learns the status, as with a child whose reaping is lost.</summary>
    public ChildScript NeverReaped() => With(s => s.ReapDelay = null);

    /// <summary>The capacity of the child's pipes, both ways (65,536 bytes by default, as Linux's).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is not positive.</exception>
    public ChildScript WithPipeCapacity(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return With(s => s.PipeCapacity = bytes);
    }

    private ChildScript With(Action<ChildScript> change)
    {
        var copy = (ChildScript)MemberwiseClone();
        change(copy);
        return copy;
    }
}

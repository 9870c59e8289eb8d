using ReactivePorts.Drivers;
using ReactivePorts.Polling;

namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// A whole operating system in virtual time for ports: a poll loop on a <see cref="TestScheduler"/>
/// (<see cref="Scheduler"/>) whose spawn ports start scripted children instead of processes, and
/// in-memory devices for fd ports. Code under test opens its ports exactly as in production, with
/// this world's scheduler passed in:
/// <code>
/// var world = new VirtualWorld(clock);
/// world.AddChild("worker", ChildScript.Idle.Write(100, "ready\n").Exit(300, 3));
/// var port = Port.Spawn("worker").WithFraming(FrameFormat.Line()).WithScheduler(world.Scheduler).Open();
/// </code>
/// Everything above the children and devices is the production port stack: framing, busy marks,
/// exit ordering, timers, flush and close.
/// </summary>
public sealed class VirtualWorld : IProcessLauncher, IDisposable
{
    private readonly Dictionary<string, Func<SpawnRequest, ChildScript>> _scripts = new(StringComparer.Ordinal);
    private readonly List<ScriptedChild> _children = new();
    private int _nextPid = 1000;

    /// <summary>A world on <paramref name="clock"/>; <paramref name="faults"/>, if given, strikes the reads and writes ports make on its children's pipes and its devices.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public VirtualWorld(TestScheduler clock, FaultPlan? faults = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Faults = faults;
        Scheduler = clock.CreatePollScheduler();
        ProcessLaunchers.Set(Scheduler, this);
    }

    /// <summary>The virtual clock.</summary>
    public TestScheduler Clock { get; }

    /// <summary>The poll loop to open ports on (<c>WithScheduler(world.Scheduler)</c>).</summary>
    [CLSCompliant(false)] // PollScheduler comes from ReactivePorts, which declares no CLS compliance
    public PollScheduler Scheduler { get; }

    /// <summary>The fault plan of the world's pipes and devices, or null.</summary>
    public FaultPlan? Faults { get; }

    /// <summary>Every child started so far, in order.</summary>
    public IReadOnlyList<ScriptedChild> Children => _children;

    /// <summary>Makes <paramref name="name"/> (a spawn command line or an executable, exactly as the spec gives it) start a child running <paramref name="script"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already registered.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is null.</exception>
    public void AddChild(string name, ChildScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        AddChild(name, _ => script);
    }

    /// <summary>As <see cref="AddChild(string, ChildScript)"/>, with a script chosen at each start (by its arguments, or by how many were started before).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already registered.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="script"/> is null.</exception>
    [CLSCompliant(false)] // ReactivePorts declares no CLS compliance
    public void AddChild(string name, Func<SpawnRequest, ChildScript> script)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(script);
        if (!_scripts.TryAdd(name, script)) throw new ArgumentException($"A child named '{name}' is already registered in this world.", nameof(name));
    }

    /// <summary>The children started under <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<ScriptedChild> ChildrenNamed(string name) => [.. _children.Where(c => c.Name == name)];

    /// <summary>A duplex device for fd ports (see <see cref="VirtualDevice"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public VirtualDevice CreateDevice(string name = "device", int capacity = ChildScript.DefaultPipeCapacity) =>
        new(this, name, capacity);

    PortDriver IProcessLauncher.Launch(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_scripts.TryGetValue(request.Name, out var choose))
            throw new InvalidOperationException($"No scripted child is registered for '{request.Name}' in this virtual world (registered: {string.Join(", ", _scripts.Keys.Order().Select(k => $"'{k}'"))}).");
        var script = choose(request) ?? throw new InvalidOperationException($"The script chosen for '{request.Name}' is null.");
        var child = new ScriptedChild(this, request, script, _nextPid++);
        _children.Add(child);
        child.Start();
        return new ScriptedChildDriver(child);
    }

    /// <summary>Disposes the world's poll loop (its ports end).</summary>
    public void Dispose() => Scheduler.Dispose();
}

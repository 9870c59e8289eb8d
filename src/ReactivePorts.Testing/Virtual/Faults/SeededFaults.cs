namespace ReactivePorts.Testing.Virtual;

/// <summary>
/// Faults drawn from a seed: the same seed, calls and rates give the same faults, so a run that
/// fails for seed <see cref="Seed"/> replays exactly with it (print the seed in the failure). The
/// generator is <see cref="Random(int)"/>, whose seeded sequence .NET keeps stable across versions.
/// <see cref="Log"/> lists what struck, to read next to a failing transcript.
/// </summary>
public sealed class SeededFaults : FaultPlan
{
    private readonly Random _random;
    private readonly FaultRates _rates;
    private readonly List<string> _log = new();
    private readonly Dictionary<(FaultOperation, string), int> _bursts = new();

    /// <summary>Faults from <paramref name="seed"/> at <paramref name="rates"/> (the defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is outside 0..1, or the burst length is not positive.</exception>
    public SeededFaults(int seed, FaultRates? rates = null)
    {
        rates ??= new FaultRates();
        foreach (var (name, rate) in new[] { ("ShortRead", rates.ShortRead), ("ShortWrite", rates.ShortWrite), ("WouldBlock", rates.WouldBlock), ("Interrupted", rates.Interrupted), ("BrokenPipe", rates.BrokenPipe) })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(rates), rate, $"FaultRates.{name} must be between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rates.MaxWouldBlockBurst, nameof(rates));
        Seed = seed;
        _rates = rates;
        _random = new Random(seed);
    }

    /// <summary>The seed this plan draws from.</summary>
    public int Seed { get; }

    /// <summary>Every fault that struck, in order: "read worker/stdout: short 3".</summary>
    public IReadOnlyList<string> Log => _log;

    /// <inheritdoc/>
    public override Fault Next(FaultOperation operation, string device, int requested)
    {
        ArgumentNullException.ThrowIfNull(device);
        // One draw per call whatever happens, so a change of rates keeps later calls' draws aligned.
        double roll = _random.NextDouble();
        int size = _random.Next(1, Math.Max(2, requested));
        var fault = Choose(operation, device, roll, size, requested);
        if (!fault.IsNone) _log.Add($"{(operation == FaultOperation.Read ? "read" : "write")} {device}: {fault}");
        return fault;
    }

    private Fault Choose(FaultOperation operation, string device, double roll, int size, int requested)
    {
        var key = (operation, device);
        if (_bursts.TryGetValue(key, out int left))
        {
            if (left <= 1) _bursts.Remove(key);
            else _bursts[key] = left - 1;
            return Fault.Error(Fault.EAGAIN);
        }
        if ((roll -= _rates.WouldBlock) < 0)
        {
            int burst = 1 + (int)(-roll / Math.Max(_rates.WouldBlock, double.Epsilon) * _rates.MaxWouldBlockBurst) % _rates.MaxWouldBlockBurst;
            if (burst > 1) _bursts[key] = burst - 1;
            return Fault.Error(Fault.EAGAIN);
        }
        if ((roll -= _rates.Interrupted) < 0) return Fault.Error(Fault.EINTR);
        if (operation == FaultOperation.Write && (roll -= _rates.BrokenPipe) < 0) return Fault.Error(Fault.EPIPE);
        double shortRate = operation == FaultOperation.Read ? _rates.ShortRead : _rates.ShortWrite;
        if ((roll -= shortRate) < 0 && requested > 1) return Fault.Short(size);
        return Fault.None;
    }
}

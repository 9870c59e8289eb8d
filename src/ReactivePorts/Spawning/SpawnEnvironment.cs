using System.Collections;

namespace ReactivePorts.Spawning;

/// <summary>
/// Builds a child's envp as Erlang's <c>{env, [{Name, Value | false}]}</c> does: the current environment
/// (as this process sees it through <see cref="Environment"/>), with variables set, set to an empty
/// string, or removed (a null value).
/// </summary>
internal static class SpawnEnvironment
{
    // The last inherited environment, encoded: most spawns inherit it unchanged, and encoding ~40
    // variables each time cost more than everything else done before posix_spawn (measured 25 µs warm,
    // 45 µs between spawns). Replaced whole, never mutated, so readers need no lock.
    private static InheritedSnapshot? s_inherited;

    /// <param name="changes">Variables to set (value) or remove (null), applied in order.</param>
    /// <param name="inherit">Start from this process's environment (true) or from an empty one.</param>
    /// <returns><c>NAME=value</c> entries in UTF-8, inherited ones first in the runtime's order, new ones after.</returns>
    /// <exception cref="ArgumentException">A name is empty or holds '=' or NUL; a value holds NUL.</exception>
    internal static byte[][] Build(IEnumerable<KeyValuePair<string, string?>>? changes = null, bool inherit = true)
    {
        var entries = new List<KeyValuePair<string, string>>();
        if (inherit)
        {
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
                entries.Add(new((string)e.Key, (string?)e.Value ?? ""));
        }

        foreach ((string name, string? value) in changes ?? [])
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(changes));
            if (name.Contains('=') || name.Contains('\0'))
                throw new ArgumentException($"An environment variable name cannot contain '=' or NUL: '{name}'.", nameof(changes));
            int index = entries.FindIndex(e => e.Key == name);
            if (value is null)
            {
                if (index >= 0) entries.RemoveAt(index);
            }
            else if (index >= 0) entries[index] = new(name, value);
            else entries.Add(new(name, value));
        }

        return entries.Select(e => SpawnStartInfo.Encode($"{e.Key}={e.Value}", nameof(changes))).ToArray();
    }

    /// <summary>
    /// As <see cref="Build"/>, checked and ready for <see cref="SpawnStartInfo"/>. Inheriting the
    /// environment unchanged reuses the previous encoding while every variable still has the same
    /// value (compared on each call, so a change made through <see cref="Environment"/> is seen by the
    /// next spawn).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Build"/>.</exception>
    internal static EnvironmentBlock Current(IReadOnlyCollection<KeyValuePair<string, string?>>? changes, bool inherit)
    {
        if (!inherit || changes is { Count: > 0 }) return EnvironmentBlock.Check(Build(changes, inherit));

        IDictionary current = Environment.GetEnvironmentVariables();
        if (Volatile.Read(ref s_inherited) is { } cached && cached.Matches(current)) return cached.Block;
        var snapshot = new InheritedSnapshot(current);
        Volatile.Write(ref s_inherited, snapshot);
        return snapshot.Block;
    }

    /// <summary>An inherited environment as it was read (name → value) and its encoding.</summary>
    private sealed class InheritedSnapshot
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        internal InheritedSnapshot(IDictionary current)
        {
            var entries = new byte[current.Count][];
            int i = 0;
            IDictionaryEnumerator e = current.GetEnumerator();
            while (e.MoveNext())
            {
                string name = (string)e.Key, value = (string?)e.Value ?? "";
                _values[name] = value;
                entries[i++] = SpawnStartInfo.Encode($"{name}={value}", "environment");
            }
            Block = EnvironmentBlock.Check(entries);
        }

        internal EnvironmentBlock Block { get; }

        /// <summary>Same names, same values (the runtime hands out the same string objects while nothing changes, so this is mostly reference compares).</summary>
        internal bool Matches(IDictionary current)
        {
            if (current.Count != _values.Count) return false;
            IDictionaryEnumerator e = current.GetEnumerator();
            while (e.MoveNext())
            {
                if (!_values.TryGetValue((string)e.Key, out string? value)) return false;
                string now = (string?)e.Value ?? "";
                if (!ReferenceEquals(now, value) && !string.Equals(now, value, StringComparison.Ordinal)) return false;
            }
            return true;
        }
    }
}

/// <summary>
/// envp entries already checked (<c>NAME=value</c>, no NUL byte) and never modified afterwards, so many
/// spawns can share one without copying it.
/// </summary>
internal sealed class EnvironmentBlock
{
    private EnvironmentBlock(byte[][] entries) => Entries = entries;

    internal byte[][] Entries { get; }

    /// <summary>Checks <paramref name="entries"/> and takes them over: the caller must not modify them afterwards.</summary>
    /// <exception cref="ArgumentException">An entry holds a NUL byte or has no name before '='.</exception>
    internal static EnvironmentBlock Check(byte[][] entries)
    {
        foreach (byte[] entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, "environment");
            if (entry.AsSpan().Contains((byte)0))
                throw new ArgumentException("An argument or environment entry cannot contain a NUL byte.", "environment");
            if (entry.AsSpan().IndexOf((byte)'=') <= 0)
                throw new ArgumentException($"An environment entry must be NAME=value: '{System.Text.Encoding.UTF8.GetString(entry)}'.", "environment");
        }
        return new EnvironmentBlock(entries);
    }
}

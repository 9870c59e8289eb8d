using System.Collections;

namespace ReactivePorts.Spawning;

/// <summary>
/// Builds a child's envp as Erlang's <c>{env, [{Name, Value | false}]}</c> does: the current environment
/// (as this process sees it through <see cref="Environment"/>), with variables set, set to an empty
/// string, or removed (a null value).
/// </summary>
internal static class SpawnEnvironment
{
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
}

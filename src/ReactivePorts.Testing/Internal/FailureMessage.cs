using System.Globalization;
using System.Text;

namespace ReactivePorts.Testing;

/// <summary>
/// Builds <see cref="ReactiveAssertionException"/> messages: the caller's message (if any),
/// one line saying what went wrong, then the expected and actual outcomes.
/// </summary>
internal static class FailureMessage
{
    public static string ForSequences<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual, int index, string? message)
    {
        var what = index < Math.Min(expected.Count, actual.Count)
            ? string.Format(CultureInfo.CurrentCulture, "Sequences differ at index {0}: expected {1}, actual {2}.",
                index, Format(expected[index]), Format(actual[index]))
            : string.Format(CultureInfo.CurrentCulture, "Sequences differ in length: expected {0} element(s), actual {1}.",
                expected.Count, actual.Count);

        return Build(message, what, List(expected), List(actual));
    }

    public static string ForNothingThrown(Type expected, string? message) =>
        Build(message, $"Expected {expected.Name} to be thrown, but nothing was thrown.", expected.Name, "(no exception)");

    public static string ForWrongType(Type expected, Exception actual, string? message) =>
        Build(message, $"Expected {expected.Name} to be thrown, but {actual.GetType().Name} was thrown.",
            expected.Name, Describe(actual));

    public static string ForWrongInstance(Exception? expected, Exception actual, string? message) =>
        expected is null
            ? Build(message, $"Expected a null exception instance, which can never be thrown, but {actual.GetType().Name} was thrown.",
                "null", Describe(actual))
            : Build(message, $"Expected this very {expected.GetType().Name} instance to be thrown, but another instance was thrown.",
                Describe(expected), Describe(actual));

    private static string Build(string? message, string what, string expected, string actual)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(message))
        {
            sb.AppendLine(message);
        }

        sb.AppendLine(what);
        sb.Append("Expected: ").AppendLine(expected);
        sb.Append("Actual..: ").Append(actual);
        return sb.ToString();
    }

    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    private static string List<T>(IEnumerable<T> items) => "[" + string.Join(", ", items.Select(Format)) + "]";

    private static string Format<T>(T item) => item?.ToString() ?? "null";
}

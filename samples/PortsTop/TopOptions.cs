using System.Globalization;

namespace PortsTop;

/// <summary>Command line: <c>--duration SECONDS</c> (10 by default), <c>--once</c>.</summary>
internal sealed record TopOptions(TimeSpan Duration, bool Once)
{
    public static TopOptions? Parse(string[] args)
    {
        var options = new TopOptions(TimeSpan.FromSeconds(10), false);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--once":
                    options = options with { Once = true };
                    break;
                case "--duration" when i + 1 < args.Length
                    && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0:
                    options = options with { Duration = TimeSpan.FromSeconds(seconds) };
                    i++;
                    break;
                default:
                    return null;
            }
        }
        return options;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace ReactivePorts.Docs.Tests;

/// <summary>
/// A <c>```csharp</c> block of README.md, made into code that compiles: its <c>using</c> directives at
/// the top, its type declarations in a namespace of their own, its statements (after the setup of an
/// HTML comment <c>&lt;!-- setup: … --&gt;</c> right above the block, for what the prose assumes,
/// such as a connected socket) as the body of <c>Block.RunAsync</c>.
/// </summary>
internal sealed record ReadmeCodeBlock(int Number, int Line, string Code, string Setup)
{
    private static readonly Regex s_typeStart = new(@"^(?:(?:public|internal|sealed|static|abstract|partial|file|readonly)\s+)*(?:class|record|struct|interface|enum)\s", RegexOptions.Compiled);
    private static readonly Regex s_using = new(@"^using\s+(?:static\s+)?[\w.]+(?:\s*=\s*[\w.<>]+)?;\s*$", RegexOptions.Compiled);

    public string Namespace => $"ReadmeBlock{Number}";

    /// <summary>Every <c>```csharp</c> block of <paramref name="markdown"/>, numbered from 1.</summary>
    public static List<ReadmeCodeBlock> Parse(string markdown)
    {
        var lines = markdown.Split('\n');
        var blocks = new List<ReadmeCodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```csharp") continue;
            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```") end++;
            blocks.Add(new ReadmeCodeBlock(blocks.Count + 1, i + 1, string.Join('\n', lines[start..end]), SetupAbove(lines, i)));
            i = end;
        }
        return blocks;
    }

    /// <summary>The body of a <c>&lt;!-- setup: … --&gt;</c> comment that ends on the line right above the fence.</summary>
    private static string SetupAbove(string[] lines, int fence)
    {
        int last = fence - 1;
        if (last < 0 || !lines[last].TrimEnd().EndsWith("-->", StringComparison.Ordinal)) return "";
        int first = last;
        while (first >= 0 && !lines[first].TrimStart().StartsWith("<!--", StringComparison.Ordinal)) first--;
        if (first < 0) return "";
        string text = string.Join('\n', lines[first..(last + 1)]).Trim();
        text = text["<!--".Length..^"-->".Length].Trim();
        return text.StartsWith("setup:", StringComparison.Ordinal) ? text["setup:".Length..].Trim() : "";
    }

    /// <summary>The block as one C# file.</summary>
    public string ToSource()
    {
        var usings = new List<string>();
        var types = new StringBuilder();
        var statements = new StringBuilder();
        var lines = Code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (s_using.IsMatch(line))
            {
                usings.Add(line.Trim());
            }
            else if (s_typeStart.IsMatch(line))
            {
                // A declaration at column 0 runs to the next line that is a lone closing brace at column 0
                // (or is one line, ending with ';' or '}').
                int end = i;
                if (!line.TrimEnd().EndsWith(';') && !(line.Contains('{') && line.TrimEnd().EndsWith('}')))
                    while (end < lines.Length && lines[end].TrimEnd() != "}") end++;
                types.AppendLine(string.Join('\n', lines[i..Math.Min(end + 1, lines.Length)]));
                i = end;
            }
            else
            {
                statements.AppendLine(line);
            }
        }
        var source = new StringBuilder();
        foreach (var u in usings.Distinct()) source.AppendLine(u);
        source.AppendLine($"// README.md, the block at line {Line}");
        source.AppendLine($"namespace {Namespace}");
        source.AppendLine("{");
        source.AppendLine(types.ToString());
        source.AppendLine("internal static class Block");
        source.AppendLine("{");
        source.AppendLine("    public static async Task RunAsync()");
        source.AppendLine("    {");
        source.AppendLine(Setup);
        source.AppendLine(statements.ToString());
        source.AppendLine("        await Task.CompletedTask;");
        source.AppendLine("    }");
        source.AppendLine("}");
        source.AppendLine("}");
        return source.ToString();
    }
}

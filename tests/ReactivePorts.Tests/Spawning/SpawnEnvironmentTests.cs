using System.Text;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

public class SpawnEnvironmentTests
{
    private static string[] Build(IEnumerable<KeyValuePair<string, string?>> changes, bool inherit = false) =>
        SpawnEnvironment.Build(changes, inherit).Select(Encoding.UTF8.GetString).ToArray();

    [Fact]
    public void Build_SetOverwriteEmptyAndRemove_AppliedInOrder()
    {
        string[] env = Build([new("A", "1"), new("B", "2"), new("A", "3"), new("C", ""), new("B", null), new("D", null)]);
        Assert.Equal(["A=3", "C="], env);
    }

    [Fact]
    public void Build_Inherit_StartsFromOurEnvironment()
    {
        string[] env = Build([], inherit: true);
        Assert.Contains($"PATH={Environment.GetEnvironmentVariable("PATH")}", env);
        Assert.Equal(Environment.GetEnvironmentVariables().Count, env.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0")]
    public void Build_BadName_Throws(string name) =>
        Assert.ThrowsAny<ArgumentException>(() => Build([new(name, "x")]));

    [Fact]
    public void Build_NulInValue_Throws() => Assert.Throws<ArgumentException>(() => Build([new("A", "x\0y")]));

    [Fact]
    public void Current_InheritedAndUnchanged_SharesOneBlock()
    {
        var first = SpawnEnvironment.Current([], inherit: true);
        var second = SpawnEnvironment.Current([], inherit: true);
        Assert.Same(first, second);
        Assert.Equal(Build([], inherit: true).OrderBy(e => e, StringComparer.Ordinal),
            first.Entries.Select(Encoding.UTF8.GetString).OrderBy(e => e, StringComparer.Ordinal));
    }

    [Fact]
    public void Current_AfterTheEnvironmentChanged_SeesTheChange()
    {
        string name = $"RP_ENV_CACHE_{Guid.NewGuid():N}";
        SpawnEnvironment.Current([], inherit: true); // cached before the change
        try
        {
            Environment.SetEnvironmentVariable(name, "one");
            Assert.Contains($"{name}=one", Strings(SpawnEnvironment.Current([], inherit: true)));
            Environment.SetEnvironmentVariable(name, "two"); // same names, another value
            var changed = Strings(SpawnEnvironment.Current([], inherit: true));
            Assert.Contains($"{name}=two", changed);
            Assert.DoesNotContain($"{name}=one", changed);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Assert.DoesNotContain(Strings(SpawnEnvironment.Current([], inherit: true)), e => e.StartsWith(name + "=", StringComparison.Ordinal));
    }

    [Fact]
    public void Current_WithChangesOrCleared_BuildsAfresh()
    {
        Assert.Equal(["A=1"], Strings(SpawnEnvironment.Current([new("A", "1")], inherit: false)));
        Assert.Empty(SpawnEnvironment.Current([], inherit: false).Entries);
        Assert.Contains("RP_EXTRA=x", Strings(SpawnEnvironment.Current([new("RP_EXTRA", "x")], inherit: true)));
    }

    private static string[] Strings(EnvironmentBlock block) => block.Entries.Select(Encoding.UTF8.GetString).ToArray();
}

using System.Text;
using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawn;

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
}

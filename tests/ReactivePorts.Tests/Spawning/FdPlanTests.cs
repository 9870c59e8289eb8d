using ReactivePorts.Spawning;

namespace ReactivePorts.Tests.Spawning;

/// <summary>The order of file actions; the real-process effect is in <see cref="SpawnerFdTests"/>.</summary>
public class FdPlanTests
{
    private static string Plan(params (int Target, int Source)[] map) => string.Join("; ", FdPlan.Build(map));

    [Fact]
    public void Build_Stdio_DupsThenClosesFromThree() =>
        Assert.Equal("dup2(30, 0); dup2(31, 1); dup2(32, 2); closefrom(3)", Plan((0, 30), (1, 31), (2, 32)));

    [Fact]
    public void Build_Empty_ClosesEverything() => Assert.Equal("closefrom(0)", Plan());

    [Fact]
    public void Build_DevNull_OpensAfterEveryDup() =>
        Assert.Equal("dup2(30, 1); dup2(31, 2); open(/dev/null) as 0; closefrom(3)", Plan((0, -1), (1, 30), (2, 31)));

    [Fact]
    public void Build_DevNullTargetIsAnotherSource_NeedsNoTemporary() =>
        Assert.Equal("dup2(3, 1); open(/dev/null) as 3; close(0); close(2); closefrom(4)", Plan((1, 3), (3, -1)));

    [Fact]
    public void Build_Gap_ClosesTheUnmappedNumbers() =>
        Assert.Equal("dup2(30, 0); dup2(31, 1); dup2(32, 2); dup2(33, 5); close(3); close(4); closefrom(6)",
            Plan((0, 30), (1, 31), (2, 32), (5, 33)));

    [Fact]
    public void Build_SourceEqualsOwnTarget_DupsInPlace() =>
        Assert.Equal("dup2(7, 7); close(0); close(1); close(2); close(3); close(4); close(5); close(6); closefrom(8)", Plan((7, 7)));

    [Fact]
    public void Build_Swap_GoesThroughTemporariesAboveEveryNumber() =>
        Assert.Equal("dup2(4, 5); dup2(3, 6); dup2(5, 3); dup2(6, 4); close(0); close(1); close(2); closefrom(5)",
            Plan((3, 4), (4, 3)));

    [Fact]
    public void Build_StdoutToStdinAndBack_NeverReadsAnOverwrittenSource() =>
        Assert.Equal("dup2(1, 2); dup2(0, 3); dup2(2, 0); dup2(3, 1); closefrom(2)", Plan((0, 1), (1, 0)));

    [Fact]
    public void Build_OneSourceForTwoTargets_CopiesItOnce() =>
        Assert.Equal("dup2(9, 1); dup2(9, 2); close(0); closefrom(3)", Plan((1, 9), (2, 9)));

    [Fact]
    public void Build_ChainedSources_OnlyTheClobberedOneUsesATemporary() =>
        // 0 <- 1 overwrites fd 0 before... nothing reads fd 0; 1 <- 2 overwrites fd 1, which 0 <- 1 reads.
        Assert.Equal("dup2(1, 3); dup2(3, 0); dup2(2, 1); closefrom(2)", Plan((0, 1), (1, 2)));

    [Fact]
    public void Build_AnyMap_SimulatedInAFdTable_GivesEachTargetItsSource()
    {
        // Model check: run the plan on a fake descriptor table for many small maps.
        var random = new Random(1234);
        for (int round = 0; round < 2000; round++)
        {
            int count = random.Next(0, 6);
            var targets = Enumerable.Range(0, 8).OrderBy(_ => random.Next()).Take(count).ToArray();
            var map = targets.Select(t => (Target: t, Source: random.Next(-1, 8))).ToArray();

            // Parent table: fd n holds object "p{n}" for every n in 0..9.
            var table = Enumerable.Range(0, 10).ToDictionary(n => n, n => $"p{n}");
            foreach (FdAction action in FdPlan.Build(map))
            {
                switch (action.Kind)
                {
                    case FdActionKind.Dup2: table[action.Fd] = table[action.Source]; break;
                    case FdActionKind.OpenDevNull: table[action.Fd] = "null"; break;
                    case FdActionKind.Close: table.Remove(action.Fd); break;
                    default: foreach (int fd in table.Keys.Where(k => k >= action.Fd).ToList()) table.Remove(fd); break;
                }
            }

            var expected = map.ToDictionary(m => m.Target, m => m.Source < 0 ? "null" : $"p{m.Source}");
            Assert.Equal(expected.OrderBy(e => e.Key), table.OrderBy(e => e.Key));
        }
    }
}

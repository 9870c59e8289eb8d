namespace ReactivePorts.Tests.Spawning;

public class ExitStatusTests
{
    [Fact]
    public void Exited_Code_HasCodeAndNoSignal()
    {
        ExitStatus status = ExitStatus.Exited(7);
        Assert.Equal(7, status.ExitCode);
        Assert.Null(status.Signal);
        Assert.Null(status.SignalName);
        Assert.False(status.CoreDumped);
        Assert.False(status.IsUnknown);
        Assert.False(status.Success);
        Assert.Equal(7, status.ErlangStatus);
        Assert.Equal("exit code 7", status.ToString());
        Assert.True(ExitStatus.Exited(0).Success);
    }

    [Fact]
    public void Signaled_Sigkill_IsErlang137()
    {
        ExitStatus status = ExitStatus.Signaled(9);
        Assert.Null(status.ExitCode);
        Assert.Equal(9, status.Signal);
        Assert.Equal("SIGKILL", status.SignalName);
        Assert.Equal(137, status.ErlangStatus);
        Assert.False(status.Success);
        Assert.Equal("killed by signal 9 (SIGKILL)", status.ToString());
    }

    [Fact]
    public void Signaled_CoreDumped_SaysSo()
    {
        ExitStatus status = ExitStatus.Signaled(6, coreDumped: true);
        Assert.True(status.CoreDumped);
        Assert.Equal(134, status.ErlangStatus);
        Assert.Equal("killed by signal 6 (SIGABRT), core dumped", status.ToString());
    }

    [Fact]
    public void Signaled_RealTimeAndUnknownNumbers_FormatWithoutCrashing()
    {
        Assert.Equal("killed by signal 40 (SIGRTMIN+6)", ExitStatus.Signaled(40).ToString());
        Assert.Equal("killed by signal 70", ExitStatus.Signaled(70).ToString());
    }

    [Fact]
    public void Default_IsUnknown()
    {
        ExitStatus status = default;
        Assert.True(status.IsUnknown);
        Assert.Equal(ExitStatus.Unknown, status);
        Assert.Null(status.ExitCode);
        Assert.Null(status.Signal);
        Assert.False(status.Success);
        Assert.Equal(-1, status.ErlangStatus);
        Assert.Equal("exited, status unknown", status.ToString());
    }

    [Fact]
    public void Equality_SameOutcome_IsEqual()
    {
        Assert.Equal(ExitStatus.Exited(3), ExitStatus.Exited(3));
        Assert.True(ExitStatus.Exited(3) == ExitStatus.Exited(3));
        Assert.True(ExitStatus.Exited(9) != ExitStatus.Signaled(9));
        Assert.NotEqual(ExitStatus.Signaled(6), ExitStatus.Signaled(6, coreDumped: true));
        Assert.Equal(ExitStatus.Exited(3).GetHashCode(), ExitStatus.Exited(3).GetHashCode());
        Assert.False(ExitStatus.Exited(0).Equals((object)"exit code 0"));
    }
}

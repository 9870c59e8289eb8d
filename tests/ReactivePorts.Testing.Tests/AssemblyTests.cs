using System.Reflection;

namespace ReactivePorts.Testing.Tests;

public class AssemblyTests
{
    [Fact]
    public void Assembly_IsClsCompliant_AsMicrosoftReactiveTesting()
    {
        var attribute = typeof(TestScheduler).Assembly.GetCustomAttribute<CLSCompliantAttribute>();

        Assert.NotNull(attribute);
        Assert.True(attribute.IsCompliant);
    }

    [Fact]
    public void Assembly_IsNotComVisible_AsMicrosoftReactiveTesting()
    {
        var attribute = typeof(TestScheduler).Assembly.GetCustomAttribute<System.Runtime.InteropServices.ComVisibleAttribute>();

        Assert.NotNull(attribute);
        Assert.False(attribute.Value);
    }
}

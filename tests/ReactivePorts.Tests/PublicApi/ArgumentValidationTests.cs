using System.Reflection;
using ReactivePorts.Polling;

namespace ReactivePorts.Tests.PublicApi;

/// <summary>
/// Every public method of the spec and factory types rejects a null reference argument at the
/// call (ArgumentNullException), as Rx's own argument-validation test checks its operators.
/// </summary>
public sealed class ArgumentValidationTests
{
    private static readonly NullabilityInfoContext s_nullability = new();

    public static TheoryData<string> SpecMethods()
    {
        var data = new TheoryData<string>();
        foreach (var m in Candidates()) data.Add(Describe(m));
        return data;
    }

    private static IEnumerable<MethodInfo> Candidates() =>
        new[] { typeof(Port), typeof(SpawnSpec), typeof(PollScheduler) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition && m.DeclaringType != typeof(object))
            .Where(m => m.GetParameters().Any(IsNonNullableReference))
            .Where(m => m.DeclaringType != typeof(Port) || m.IsStatic); // a live port's methods need a process: covered in Ports/

    private static bool IsNonNullableReference(ParameterInfo p) =>
        !p.ParameterType.IsValueType && !p.ParameterType.IsByRef
        && s_nullability.Create(p).WriteState == NullabilityState.NotNull;

    private static string Describe(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

    [Theory]
    [MemberData(nameof(SpecMethods))]
    public void PublicMethod_NullReferenceArgument_ThrowsArgumentNull(string method)
    {
        var m = Candidates().Single(c => Describe(c) == method);
        object? target = m.IsStatic ? null
            : m.DeclaringType == typeof(SpawnSpec) ? Port.SpawnExecutable("/bin/true")
            : PollScheduler.Default;
        var parameters = m.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!IsNonNullableReference(parameters[i])) continue;
            var args = parameters.Select(p => Sample(p.ParameterType)).ToArray();
            args[i] = null;
            var error = Assert.Throws<TargetInvocationException>(() => m.Invoke(target, args)).InnerException;
            var argumentNull = Assert.IsType<ArgumentNullException>(error, exactMatch: false);
            Assert.Equal(parameters[i].Name, argumentNull.ParamName);
        }
    }

    private static object? Sample(Type type)
    {
        if (type == typeof(string)) return "x";
        if (type.IsValueType) return Activator.CreateInstance(type);
        if (type == typeof(ReactivePorts.Framing.FrameFormat)) return ReactivePorts.Framing.FrameFormat.Stream;
        if (type == typeof(PollScheduler)) return PollScheduler.Default;
        if (type.IsArray) return Array.CreateInstance(type.GetElementType()!, 0);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            return Array.CreateInstance(type.GetGenericArguments()[0], 0);
        if (type == typeof(System.Runtime.InteropServices.SafeHandle)) return new Microsoft.Win32.SafeHandles.SafeFileHandle(-1, false);
        return null;
    }
}

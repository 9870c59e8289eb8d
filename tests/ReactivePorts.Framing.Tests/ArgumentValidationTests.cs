using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Reflection;

namespace ReactivePorts.Framing.Tests;

/// <summary>
/// Every public static entry point throws <see cref="ArgumentNullException"/> naming the parameter,
/// at the call (not on subscription or enumeration), for each reference argument (Rx's
/// ArgumentValidationTest idea).
/// </summary>
public class ArgumentValidationTests
{
    public static TheoryData<string> Methods() =>
        [.. EntryPoints().Select(Describe)];

    [Theory]
    [MemberData(nameof(Methods))]
    public void PublicStaticMethod_NullReferenceArgument_ThrowsArgumentNullAtTheCall(string method)
    {
        var info = EntryPoints().Single(m => Describe(m) == method);
        var parameters = info.GetParameters();
        var valid = parameters.Select(Valid).ToArray();
        info.Invoke(null, valid);

        var checkedAny = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType.IsValueType)
            {
                continue;
            }

            var args = (object?[])valid.Clone();
            args[i] = null;
            var error = Assert.Throws<TargetInvocationException>(() => info.Invoke(null, args));
            var nullError = Assert.IsType<ArgumentNullException>(error.InnerException);
            Assert.Equal(parameters[i].Name, nullError.ParamName);
            checkedAny = true;
        }

        Assert.True(checkedAny);
    }

    private static IEnumerable<MethodInfo> EntryPoints() =>
        new[] { typeof(FramingObservable), typeof(FramingPipeExtensions), typeof(FramingStreamExtensions) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static));

    private static string Describe(MethodInfo m) =>
        $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.ToString()))})";

    private static object? Valid(ParameterInfo p)
    {
        var t = p.ParameterType;
        if (t == typeof(IObservable<ReadOnlyMemory<byte>>))
        {
            return Observable.Empty<ReadOnlyMemory<byte>>();
        }

        if (t == typeof(IObservable<IList<ReadOnlyMemory<byte>>>))
        {
            return Observable.Empty<IList<ReadOnlyMemory<byte>>>();
        }

        if (t == typeof(IObservable<Packet>))
        {
            return Observable.Empty<Packet>();
        }

        if (t == typeof(FrameFormat))
        {
            return FrameFormat.Stream;
        }

        if (t == typeof(PipeReader))
        {
            return new Pipe().Reader;
        }

        if (t == typeof(PipeWriter))
        {
            return new Pipe().Writer;
        }

        if (t == typeof(Stream))
        {
            return new MemoryStream();
        }

        if (t == typeof(IEnumerable<ReadOnlyMemory<byte>>))
        {
            return Array.Empty<ReadOnlyMemory<byte>>();
        }

        if (p.HasDefaultValue)
        {
            return p.DefaultValue ?? (t.IsValueType ? Activator.CreateInstance(t) : null);
        }

        Assert.True(t.IsValueType, $"no valid value for {t}");
        return Activator.CreateInstance(t);
    }
}

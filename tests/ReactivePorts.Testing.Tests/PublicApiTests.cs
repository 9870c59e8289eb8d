using System.Reflection;
using System.Text;

namespace ReactivePorts.Testing.Tests;

/// <summary>
/// The public surface must stay that of Microsoft.Reactive.Testing 6.x, plus only the
/// deliberate additions (marked below). A change here is a change of public API.
/// </summary>
public class PublicApiTests
{
    private static readonly string[] Expected =
    [
        "class ReactivePorts.Testing.ReactiveTest",
        "  const Int64 Created",
        "  const Int64 Disposed",
        "  const Int64 Subscribed",
        "  ctor()",
        "  static Recorded<Notification<T>> OnCompleted<T>(Int64)",
        "  static Recorded<Notification<T>> OnCompleted<T>(Int64, T)",
        "  static Recorded<Notification<T>> OnError<T>(Int64, Exception)",
        "  static Recorded<Notification<T>> OnError<T>(Int64, Exception, T)",
        "  static Recorded<Notification<T>> OnError<T>(Int64, Func<Exception, Boolean>)",
        "  static Recorded<Notification<T>> OnError<T>(Int64, Func<Exception, Boolean>, T)",
        "  static Recorded<Notification<T>> OnNext<T>(Int64, Func<T, Boolean>)",
        "  static Recorded<Notification<T>> OnNext<T>(Int64, T)",
        "  static Subscription Subscribe(Int64)",
        "  static Subscription Subscribe(Int64, Int64)",
        "class ReactivePorts.Testing.TestScheduler : VirtualTimeScheduler<Int64, Int64>",
        "  IDisposable ScheduleAbsolute<TState>(TState, Int64, Func<IScheduler, TState, IDisposable>)",
        "  ITestableObservable<T> CreateColdObservable<T>(Recorded<Notification<T>>[])",
        "  ITestableObservable<T> CreateHotObservable<T>(Recorded<Notification<T>>[])",
        "  ITestableObserver<T> CreateObserver<T>()",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>>)",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>>, Int64)",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>>, Int64, Int64, Int64)",
        "  ctor()",
        "  protected DateTimeOffset ToDateTimeOffset(Int64)",
        "  protected Int64 Add(Int64, Int64)",
        "  protected Int64 ToRelative(TimeSpan)",
        "interface ReactivePorts.Testing.ITestableObservable<T> : IObservable<T>",
        "  IList<Recorded<Notification<T>>> get_Messages()",
        "  IList<Subscription> get_Subscriptions()",
        "interface ReactivePorts.Testing.ITestableObserver<T> : IObserver<T>",
        "  IList<Recorded<Notification<T>>> get_Messages()",
        "readonly struct ReactivePorts.Testing.Recorded<T> : IEquatable<Recorded<T>>",
        "  Boolean Equals(Object)",
        "  Boolean Equals(Recorded<T>)",
        "  Int32 GetHashCode()",
        "  Int64 get_Time()",
        "  String ToString()",
        "  T get_Value()",
        "  ctor(Int64, T)",
        "  static Boolean op_Equality(Recorded<T>, Recorded<T>)",
        "  static Boolean op_Inequality(Recorded<T>, Recorded<T>)",
        "readonly struct ReactivePorts.Testing.Subscription : IEquatable<Subscription>",
        "  Boolean Equals(Object)",
        "  Boolean Equals(Subscription)",
        "  Int32 GetHashCode()",
        "  Int64 get_Subscribe()",
        "  Int64 get_Unsubscribe()",
        "  String ToString()",
        "  const Int64 Infinite",
        "  ctor(Int64)",
        "  ctor(Int64, Int64)",
        "  static Boolean op_Equality(Subscription, Subscription)",
        "  static Boolean op_Inequality(Subscription, Subscription)",
        "static class ReactivePorts.Testing.ReactiveAssert",
        "  static Void AreElementsEqual<T>(IEnumerable<T>, IEnumerable<T>)",
        "  static Void AreElementsEqual<T>(IEnumerable<T>, IEnumerable<T>, IEqualityComparer<T>)",
        "  static Void AreElementsEqual<T>(IEnumerable<T>, IEnumerable<T>, IEqualityComparer<T>, String)",
        "  static Void AreElementsEqual<T>(IEnumerable<T>, IEnumerable<T>, String)",
        "  static Void AreElementsEqual<T>(IObservable<T>, IObservable<T>)",
        "  static Void AreElementsEqual<T>(IObservable<T>, IObservable<T>, IEqualityComparer<T>)",
        "  static Void AreElementsEqual<T>(IObservable<T>, IObservable<T>, IEqualityComparer<T>, String)",
        "  static Void AreElementsEqual<T>(IObservable<T>, IObservable<T>, String)",
        "  static Void AssertEqual<T>(IEnumerable<T>, IEnumerable<T>)",
        "  static Void AssertEqual<T>(IEnumerable<T>, IEnumerable<T>, IEqualityComparer<T>)",
        "  static Void AssertEqual<T>(IEnumerable<T>, T[])",
        "  static Void AssertEqual<T>(IObservable<T>, IObservable<T>)",
        "  static Void AssertEqual<T>(IObservable<T>, IObservable<T>, IEqualityComparer<T>)",
        "  static Void Throws<TException>(Action)",
        "  static Void Throws<TException>(Action, String)",
        "  static Void Throws<TException>(TException, Action)",
        "  static Void Throws<TException>(TException, Action, String)",
    ];

    [Fact]
    public void PublicSurface_Assembly_MatchesMicrosoftReactiveTestingPlusAdditions()
    {
        var actual = Describe(typeof(TestScheduler).Assembly);

        Assert.Equal(string.Join('\n', Expected), string.Join('\n', actual));
    }

    [Fact]
    public void PublicSurface_Extensions_AreTheAssertEqualOverloads()
    {
        var extensions = typeof(ReactiveAssert).GetMethods()
            .Where(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)))
            .Select(m => m.Name)
            .Distinct();

        Assert.Equal(["AssertEqual"], extensions);
        var paramsForm = typeof(ReactiveAssert).GetMethods()
            .Single(m => m.Name == "AssertEqual" && m.GetParameters() is [_, { ParameterType.IsArray: true }]);
        Assert.True(paramsForm.GetParameters()[1].IsDefined(typeof(ParamArrayAttribute)));
    }

    private static List<string> Describe(Assembly assembly)
    {
        var lines = new List<string>();
        // The Microsoft.Reactive.Testing mirror is this namespace; ReactivePorts.Testing.Virtual is ours alone.
        foreach (var type in assembly.GetExportedTypes().Where(t => t.Namespace == "ReactivePorts.Testing").OrderBy(t => Kind(t)).ThenBy(t => t.FullName, StringComparer.Ordinal))
        {
            var header = new StringBuilder($"{Kind(type)} {type.Namespace}.{Name(type)}");
            var bases = new List<Type>();
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType))
            {
                bases.Add(b);
            }

            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic && (type.BaseType is null || !type.BaseType.GetInterfaces().Contains(i))));
            if (bases.Count > 0)
            {
                header.Append(" : ").Append(string.Join(", ", bases.Select(Name)));
            }

            lines.Add(header.ToString());
            lines.AddRange(Members(type).Order(StringComparer.Ordinal).Select(m => "  " + m));
        }

        return lines;
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        foreach (var c in type.GetConstructors(flags).Where(Visible))
        {
            yield return $"ctor({Parameters(c)})";
        }

        foreach (var f in type.GetFields(flags).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            yield return $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}";
        }

        foreach (var m in type.GetMethods(flags).Where(Visible))
        {
            var generic = m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";
            var prefix = (m.IsFamily || m.IsFamilyOrAssembly ? "protected " : "") + (m.IsStatic ? "static " : "");
            yield return $"{prefix}{Name(m.ReturnType)} {m.Name}{generic}({Parameters(m)})";
        }
    }

    private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p => Name(p.ParameterType)));

    private static string Kind(Type t) => t switch
    {
        { IsInterface: true } => "interface",
        { IsValueType: true } when t.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute)) => "readonly struct",
        { IsValueType: true } => "struct",
        { IsAbstract: true, IsSealed: true } => "static class",
        { IsSealed: true } => "sealed class",
        _ => "class",
    };

    private static string Name(Type t)
    {
        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        if (!t.IsGenericType)
        {
            return t.Name;
        }

        var name = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";
    }
}

using System.Reflection;
using System.Text;

namespace ReactivePorts.Testing.Tests;

/// <summary>
/// The public surface of the ReactivePorts.Testing namespace must stay exactly that of
/// Microsoft.Reactive.Testing 6.x/7.x (Rx.NET's ApiApprovalTests.Testing.verified.cs), with
/// parameter names (callers may use named arguments) and the [Serializable] types.
/// ReactivePorts.Testing.Virtual is ours alone; PublicAPI.*.txt records the whole assembly.
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
        "  static Recorded<Notification<T>> OnCompleted<T>(Int64 ticks)",
        "  static Recorded<Notification<T>> OnCompleted<T>(Int64 ticks, T witness)",
        "  static Recorded<Notification<T>> OnError<T>(Int64 ticks, Exception exception)",
        "  static Recorded<Notification<T>> OnError<T>(Int64 ticks, Exception exception, T witness)",
        "  static Recorded<Notification<T>> OnError<T>(Int64 ticks, Func<Exception, Boolean> predicate)",
        "  static Recorded<Notification<T>> OnError<T>(Int64 ticks, Func<Exception, Boolean> predicate, T witness)",
        "  static Recorded<Notification<T>> OnNext<T>(Int64 ticks, Func<T, Boolean> predicate)",
        "  static Recorded<Notification<T>> OnNext<T>(Int64 ticks, T value)",
        "  static Subscription Subscribe(Int64 start)",
        "  static Subscription Subscribe(Int64 start, Int64 end)",
        "class ReactivePorts.Testing.TestScheduler : VirtualTimeScheduler<Int64, Int64>",
        "  IDisposable ScheduleAbsolute<TState>(TState state, Int64 dueTime, Func<IScheduler, TState, IDisposable> action)",
        "  ITestableObservable<T> CreateColdObservable<T>(params Recorded<Notification<T>>[] messages)",
        "  ITestableObservable<T> CreateHotObservable<T>(params Recorded<Notification<T>>[] messages)",
        "  ITestableObserver<T> CreateObserver<T>()",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>> create)",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>> create, Int64 created, Int64 subscribed, Int64 disposed)",
        "  ITestableObserver<T> Start<T>(Func<IObservable<T>> create, Int64 disposed)",
        "  ctor()",
        "  protected DateTimeOffset ToDateTimeOffset(Int64 absolute)",
        "  protected Int64 Add(Int64 absolute, Int64 relative)",
        "  protected Int64 ToRelative(TimeSpan timeSpan)",
        "interface ReactivePorts.Testing.ITestableObservable<T> : IObservable<T>",
        "  IList<Recorded<Notification<T>>> get_Messages()",
        "  IList<Subscription> get_Subscriptions()",
        "interface ReactivePorts.Testing.ITestableObserver<T> : IObserver<T>",
        "  IList<Recorded<Notification<T>>> get_Messages()",
        "[Serializable] readonly struct ReactivePorts.Testing.Recorded<T> : IEquatable<Recorded<T>>",
        "  Boolean Equals(Object obj)",
        "  Boolean Equals(Recorded<T> other)",
        "  Int32 GetHashCode()",
        "  Int64 get_Time()",
        "  String ToString()",
        "  T get_Value()",
        "  ctor(Int64 time, T value)",
        "  static Boolean op_Equality(Recorded<T> left, Recorded<T> right)",
        "  static Boolean op_Inequality(Recorded<T> left, Recorded<T> right)",
        "[Serializable] readonly struct ReactivePorts.Testing.Subscription : IEquatable<Subscription>",
        "  Boolean Equals(Object obj)",
        "  Boolean Equals(Subscription other)",
        "  Int32 GetHashCode()",
        "  Int64 get_Subscribe()",
        "  Int64 get_Unsubscribe()",
        "  String ToString()",
        "  const Int64 Infinite",
        "  ctor(Int64 subscribe)",
        "  ctor(Int64 subscribe, Int64 unsubscribe)",
        "  static Boolean op_Equality(Subscription left, Subscription right)",
        "  static Boolean op_Inequality(Subscription left, Subscription right)",
        "static class ReactivePorts.Testing.ReactiveAssert",
        "  static Void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual)",
        "  static Void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, IEqualityComparer<T> comparer)",
        "  static Void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, IEqualityComparer<T> comparer, String message)",
        "  static Void AreElementsEqual<T>(IEnumerable<T> expected, IEnumerable<T> actual, String message)",
        "  static Void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual)",
        "  static Void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, IEqualityComparer<T> comparer)",
        "  static Void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, IEqualityComparer<T> comparer, String message)",
        "  static Void AreElementsEqual<T>(IObservable<T> expected, IObservable<T> actual, String message)",
        "  static Void AssertEqual<T>(IEnumerable<T> actual, IEnumerable<T> expected)",
        "  static Void AssertEqual<T>(IEnumerable<T> actual, IEnumerable<T> expected, IEqualityComparer<T> comparer)",
        "  static Void AssertEqual<T>(IEnumerable<T> actual, params T[] expected)",
        "  static Void AssertEqual<T>(IObservable<T> actual, IObservable<T> expected)",
        "  static Void AssertEqual<T>(IObservable<T> actual, IObservable<T> expected, IEqualityComparer<T> comparer)",
        "  static Void Throws<TException>(Action action)",
        "  static Void Throws<TException>(Action action, String message)",
        "  static Void Throws<TException>(TException exception, Action action)",
        "  static Void Throws<TException>(TException exception, Action action, String message)",
    ];

    [Fact]
    public void PublicSurface_Namespace_MatchesMicrosoftReactiveTestingMemberByMember()
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
            var serializable = type.IsDefined(typeof(SerializableAttribute), inherit: false) ? "[Serializable] " : "";
            var header = new StringBuilder($"{serializable}{Kind(type)} {type.Namespace}.{Name(type)}");
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

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
        (p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "") + Name(p.ParameterType) + " " + p.Name));

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

using System.Globalization;
using System.Reactive;
using CsCheck;

namespace ReactivePorts.Testing.Tests;

public class RecordedTests
{
    [Fact]
    public void Constructor_TimeAndValue_AreExposed()
    {
        var r = new Recorded<string>(12, "v");

        Assert.Equal(12, r.Time);
        Assert.Equal("v", r.Value);
    }

    [Fact]
    public void Recorded_IsSerializable_WithMicrosoftReactiveTestingFieldNames()
    {
        var original = new Recorded<int>(12, 42);

        var xml = Serialization.ToXml(original);
        var copy = Serialization.FromXml<Recorded<int>>(xml);

        Assert.True(typeof(Recorded<int>).IsDefined(typeof(SerializableAttribute), inherit: false));
        Assert.Equal(original, copy);
        Assert.Contains("<_time>12</_time>", xml, StringComparison.Ordinal);
        Assert.Contains("<_value>42</_value>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameTimeAndValue_IsTrue()
    {
        var a = new Recorded<int>(1, 2);
        var b = new Recorded<int>(1, 2);

        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentTimeOrValue_IsFalse()
    {
        var a = new Recorded<int>(1, 2);

        Assert.False(a.Equals(new Recorded<int>(2, 2)));
        Assert.False(a.Equals(new Recorded<int>(1, 3)));
        Assert.True(a != new Recorded<int>(1, 3));
        Assert.False(a == new Recorded<int>(2, 2));
    }

    [Fact]
    public void Equals_OtherTypeOrNull_IsFalse()
    {
        var a = new Recorded<int>(1, 2);

        Assert.False(a.Equals(null));
        Assert.False(a.Equals("1@2"));
        Assert.False(a.Equals(new Recorded<long>(1, 2)));
    }

    [Fact]
    public void Equals_NullValues_AreEqual()
    {
        Assert.Equal(new Recorded<string?>(3, null), new Recorded<string?>(3, null));
        Assert.NotEqual(new Recorded<string?>(3, null), new Recorded<string?>(3, "x"));
        Assert.Equal(new Recorded<string?>(3, null).GetHashCode(), new Recorded<string?>(3, null).GetHashCode());
    }

    [Fact]
    public void Equals_NotificationValues_ComparedByNotificationEquality()
    {
        Assert.Equal(
            new Recorded<Notification<int>>(5, Notification.CreateOnNext(1)),
            new Recorded<Notification<int>>(5, Notification.CreateOnNext(1)));
        Assert.NotEqual(
            new Recorded<Notification<int>>(5, Notification.CreateOnNext(1)),
            new Recorded<Notification<int>>(5, Notification.CreateOnCompleted<int>()));
    }

    [Fact]
    public void ToString_Value_IsValueAtTime()
    {
        Assert.Equal("42@100", new Recorded<int>(100, 42).ToString());
        Assert.Equal("OnNext(3)@210", new Recorded<Notification<int>>(210, Notification.CreateOnNext(3)).ToString());
        Assert.Equal("@7", new Recorded<string?>(7, null).ToString());
    }

    [Fact]
    public void ToString_UsesCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.Equal("1,5@3", new Recorded<double>(3, 1.5).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Equality_AnyPair_OperatorsEqualsAndHashAgree()
    {
        var gen = Gen.Select(Gen.Long[0, 3], Gen.Int[0, 3]);
        Gen.Select(gen, gen).Sample((x, y) =>
        {
            var a = new Recorded<int>(x.Item1, x.Item2);
            var b = new Recorded<int>(y.Item1, y.Item2);
            var same = x.Item1 == y.Item1 && x.Item2 == y.Item2;

            Assert.Equal(same, a.Equals(b));
            Assert.Equal(same, a == b);
            Assert.Equal(!same, a != b);
            Assert.Equal(same, b.Equals((object)a));
            if (same)
            {
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        });
    }
}

using System.Globalization;
using CsCheck;

namespace ReactivePorts.Testing.Tests;

public class SubscriptionTests
{
    [Fact]
    public void Infinite_IsLongMaxValue()
    {
        Assert.Equal(long.MaxValue, Subscription.Infinite);
    }

    [Fact]
    public void Subscription_IsSerializable_WithMicrosoftReactiveTestingFieldNames()
    {
        var original = new Subscription(200, 1000);

        var xml = Serialization.ToXml(original);
        var copy = Serialization.FromXml<Subscription>(xml);

        Assert.True(typeof(Subscription).IsDefined(typeof(SerializableAttribute), inherit: false));
        Assert.Equal(original, copy);
        Assert.Contains("<_subscribe>200</_subscribe>", xml, StringComparison.Ordinal);
        Assert.Contains("<_unsubscribe>1000</_unsubscribe>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StartOnly_EndIsInfinite()
    {
        var s = new Subscription(5);

        Assert.Equal(5, s.Subscribe);
        Assert.Equal(Subscription.Infinite, s.Unsubscribe);
    }

    [Fact]
    public void Constructor_StartAndEnd_AreExposed()
    {
        var s = new Subscription(5, 9);

        Assert.Equal(5, s.Subscribe);
        Assert.Equal(9, s.Unsubscribe);
    }

    [Fact]
    public void Equals_SameTimes_IsTrueAndOperatorsAgree()
    {
        var a = new Subscription(200, 450);
        var b = new Subscription(200, 450);

        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(new Subscription(3), new Subscription(3, Subscription.Infinite));
    }

    [Fact]
    public void Equals_DifferentTimes_IsFalse()
    {
        var a = new Subscription(200, 450);

        Assert.False(a.Equals(new Subscription(201, 450)));
        Assert.False(a.Equals(new Subscription(200, 451)));
        Assert.False(a == new Subscription(200));
        Assert.True(a != new Subscription(200));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("(200, 450)"));
    }

    [Fact]
    public void ToString_Disposed_IsStartCommaEnd()
    {
        Assert.Equal("(200, 450)", new Subscription(200, 450).ToString());
    }

    [Fact]
    public void ToString_NeverDisposed_IsStartCommaInfinite()
    {
        Assert.Equal("(200, Infinite)", new Subscription(200).ToString());
    }

    [Fact]
    public void ToString_UsesCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = culture;

            Assert.Equal("(~1, ~2)", new Subscription(-1, -2).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Equality_AnyPair_OperatorsEqualsAndHashAgree()
    {
        var gen = Gen.Select(Gen.Long[0, 3], Gen.Long[0, 3]);
        Gen.Select(gen, gen).Sample((x, y) =>
        {
            var a = new Subscription(x.Item1, x.Item2);
            var b = new Subscription(y.Item1, y.Item2);
            var same = x == y;

            Assert.Equal(same, a.Equals(b));
            Assert.Equal(same, a == b);
            Assert.Equal(!same, a != b);
            if (same)
            {
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        });
    }
}

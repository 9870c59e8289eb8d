using CsCheck;

namespace ReactivePorts.Testing.Tests;

public class TickConversionTests
{
    /// <summary>Exposes the protected conversions, as a derived test scheduler may.</summary>
    private sealed class ExposedScheduler : TestScheduler
    {
        public long CallAdd(long absolute, long relative) => Add(absolute, relative);

        public DateTimeOffset CallToDateTimeOffset(long absolute) => ToDateTimeOffset(absolute);

        public long CallToRelative(TimeSpan timeSpan) => ToRelative(timeSpan);
    }

    [Fact]
    public void Add_AbsoluteAndRelative_ReturnsSum()
    {
        var scheduler = new ExposedScheduler();

        Assert.Equal(12, scheduler.CallAdd(5, 7));
        Assert.Equal(-2, scheduler.CallAdd(5, -7));
    }

    [Fact]
    public void ToDateTimeOffset_Ticks_IsUtcDateTimeOffsetWithThoseTicks()
    {
        var scheduler = new ExposedScheduler();

        var value = scheduler.CallToDateTimeOffset(123);

        Assert.Equal(123, value.Ticks);
        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            scheduler.CallToDateTimeOffset(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).UtcTicks));
    }

    [Fact]
    public void ToDateTimeOffset_Negative_ThrowsArgumentOutOfRangeException()
    {
        var scheduler = new ExposedScheduler();

        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.CallToDateTimeOffset(-1));
    }

    [Fact]
    public void ToRelative_TimeSpan_IsItsTicks()
    {
        var scheduler = new ExposedScheduler();

        Assert.Equal(TimeSpan.TicksPerSecond, scheduler.CallToRelative(TimeSpan.FromSeconds(1)));
        Assert.Equal(-3, scheduler.CallToRelative(TimeSpan.FromTicks(-3)));
    }

    [Fact]
    public void ToDateTimeOffset_AnyValidTicks_RoundTripsThroughUtcTicks()
    {
        Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks].Sample(ticks =>
        {
            var scheduler = new ExposedScheduler();

            Assert.Equal(ticks, scheduler.CallToDateTimeOffset(ticks).UtcTicks);
            Assert.Equal(ticks, scheduler.CallToRelative(TimeSpan.FromTicks(ticks)));
        });
    }
}

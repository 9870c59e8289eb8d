namespace ReactivePorts.Testing.Tests;

public class ReactiveAssertThrowsTests
{
    private static ReactiveAssertionException Fails(Action assertion) => Assert.Throws<ReactiveAssertionException>(assertion);

    private static void Nothing()
    {
    }

    [Fact]
    public void Throws_ExpectedTypeOrSubtype_Passes()
    {
        ReactiveAssert.Throws<InvalidOperationException>(() => throw new InvalidOperationException());
        ReactiveAssert.Throws<ArgumentException>(() => throw new ArgumentNullException("p"));
        ReactiveAssert.Throws<ArgumentException>(() => throw new ArgumentNullException("p"), "unused");
    }

    [Fact]
    public void Throws_NothingThrown_FailsNamingExpectedType()
    {
        var ex = Fails(() => ReactiveAssert.Throws<InvalidOperationException>(Nothing));

        Assert.Contains("Expected: InvalidOperationException", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: (no exception)", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Throws_OtherType_FailsWithBothTypesAndInnerException()
    {
        var thrown = new FormatException("bad format");

        var ex = Fails(() => ReactiveAssert.Throws<InvalidOperationException>(() => throw thrown));

        Assert.Contains("Expected: InvalidOperationException", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: FormatException: bad format", ex.Message, StringComparison.Ordinal);
        Assert.Same(thrown, ex.InnerException);
    }

    [Fact]
    public void Throws_WithMessage_FailureStartsWithMessage()
    {
        var nothing = Fails(() => ReactiveAssert.Throws<InvalidOperationException>(Nothing, "should throw"));
        var other = Fails(() => ReactiveAssert.Throws<InvalidOperationException>(() => throw new FormatException(), "should throw IOE"));

        Assert.StartsWith("should throw", nothing.Message, StringComparison.Ordinal);
        Assert.Contains("(no exception)", nothing.Message, StringComparison.Ordinal);
        Assert.StartsWith("should throw IOE", other.Message, StringComparison.Ordinal);
        Assert.Contains("FormatException", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throws_SameInstance_Passes()
    {
        var error = new InvalidOperationException();

        ReactiveAssert.Throws(error, () => throw error);
        ReactiveAssert.Throws(error, () => throw error, "unused");
    }

    [Fact]
    public void Throws_DifferentInstanceOfSameType_Fails()
    {
        var expected = new InvalidOperationException("mine");

        var ex = Fails(() => ReactiveAssert.Throws(expected, () => throw new InvalidOperationException("theirs")));
        var withMessage = Fails(() => ReactiveAssert.Throws(expected, () => throw new InvalidOperationException("theirs"), "same one"));

        Assert.Contains("Expected: InvalidOperationException: mine", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Actual..: InvalidOperationException: theirs", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("same one", withMessage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throws_InstanceButOtherTypeOrNothing_Fails()
    {
        var expected = new InvalidOperationException();

        Assert.IsType<FormatException>(Fails(() => ReactiveAssert.Throws(expected, () => throw new FormatException())).InnerException);
        Fails(() => ReactiveAssert.Throws(expected, Nothing));
        Assert.StartsWith("m", Fails(() => ReactiveAssert.Throws(expected, Nothing, "m")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throws_NullAction_ThrowsArgumentNullException()
    {
        Assert.Equal("action", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.Throws<Exception>(null!)).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.Throws<Exception>(null!, "m")).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.Throws(new Exception(), null!)).ParamName);
        Assert.Equal("action", Assert.Throws<ArgumentNullException>(() => ReactiveAssert.Throws((Exception)null!, null!, "m")).ParamName);
    }

    [Fact]
    public void Throws_NullExpectedInstance_FailsAsMicrosoftReactiveTesting()
    {
        // No thrown exception is the same instance as null, so the assertion fails (there is no
        // argument check on the instance in Microsoft.Reactive.Testing).
        Fails(() => ReactiveAssert.Throws((InvalidOperationException)null!, () => throw new InvalidOperationException()));
        Fails(() => ReactiveAssert.Throws((InvalidOperationException)null!, () => throw new FormatException()));
        Fails(() => ReactiveAssert.Throws((InvalidOperationException)null!, Nothing));
        var withMessage = Fails(() => ReactiveAssert.Throws((InvalidOperationException)null!, () => throw new InvalidOperationException(), "m"));

        Assert.StartsWith("m", withMessage.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(withMessage.InnerException);
    }

    [Fact]
    public void Throws_NestedAssertionFails_IsNotMistakenForExpectedException()
    {
        var ex = Fails(() => ReactiveAssert.Throws<InvalidOperationException>(() => ReactiveAssert.AreElementsEqual([1], [2])));

        Assert.IsType<ReactiveAssertionException>(ex.InnerException);
    }
}

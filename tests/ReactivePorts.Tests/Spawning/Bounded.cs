namespace ReactivePorts.Tests;

/// <summary>
/// xunit 2 enforces <c>[Fact(Timeout = ...)]</c> only for tests that return a Task without blocking the
/// calling thread, so real-process test bodies run on the thread pool through this helper. Every wait
/// inside has its own deadline as well.
/// </summary>
internal static class Bounded
{
    internal const int Timeout = 20000;

    internal static Task Run(Action body) => Task.Run(body);
}

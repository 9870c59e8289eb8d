using System.Diagnostics;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace ReactivePorts.Testing;

/// <summary>
/// Virtual-time scheduler for testing code built with Reactive Extensions: nothing runs
/// until the clock is advanced (<see cref="VirtualTimeSchedulerBase{TAbsolute, TRelative}.Start()"/>,
/// <c>AdvanceTo</c>, <c>AdvanceBy</c>), and then everything runs in due-time order on the
/// calling thread.
/// </summary>
/// <remarks>
/// <para>
/// Clock values are ticks. An absolute time <c>t</c> is the UTC instant
/// <c>new DateTimeOffset(t, TimeSpan.Zero)</c>, so the clock starts at
/// <see cref="DateTimeOffset.MinValue"/>; a relative time is <see cref="TimeSpan.Ticks"/>.
/// </para>
/// <para>
/// The class is not sealed, as in Microsoft.Reactive.Testing, so tests may derive from it.
/// </para>
/// </remarks>
[DebuggerDisplay("\\{ Clock = {Clock} Now = {Now.ToString(\"O\")} \\}")]
public class TestScheduler : VirtualTimeScheduler<long, long>
{
    /// <summary>
    /// Schedules <paramref name="action"/> at absolute virtual time <paramref name="dueTime"/>.
    /// A due time that is not after the current clock is moved to <c>Clock + 1</c>, so work
    /// scheduled "now" or in the past always runs strictly later than the code that
    /// scheduled it.
    /// </summary>
    /// <typeparam name="TState">The type of the state passed to the action.</typeparam>
    /// <param name="state">State passed to the action.</param>
    /// <param name="dueTime">Absolute virtual time at which to run the action.</param>
    /// <param name="action">Action to run.</param>
    /// <returns>A disposable that cancels the action if it has not run yet (best effort).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        if (dueTime <= Clock)
        {
            dueTime = Clock + 1;
        }

        return base.ScheduleAbsolute(state, dueTime, action);
    }

    /// <summary>
    /// Adds a relative virtual time to an absolute one: both are ticks.
    /// </summary>
    /// <param name="absolute">Absolute virtual time.</param>
    /// <param name="relative">Relative virtual time to add.</param>
    /// <returns>The absolute virtual time <c>absolute + relative</c>.</returns>
    protected override long Add(long absolute, long relative) => absolute + relative;

    /// <summary>
    /// Converts an absolute virtual time to the UTC <see cref="DateTimeOffset"/> with that many ticks.
    /// </summary>
    /// <param name="absolute">Absolute virtual time, in ticks.</param>
    /// <returns><c>new DateTimeOffset(absolute, TimeSpan.Zero)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="absolute"/> is outside the range of <see cref="DateTimeOffset"/>.</exception>
    protected override DateTimeOffset ToDateTimeOffset(long absolute) => new(absolute, TimeSpan.Zero);

    /// <summary>
    /// Converts a <see cref="TimeSpan"/> to a relative virtual time: its ticks.
    /// </summary>
    /// <param name="timeSpan">The time span to convert.</param>
    /// <returns><see cref="TimeSpan.Ticks"/> of <paramref name="timeSpan"/>.</returns>
    protected override long ToRelative(TimeSpan timeSpan) => timeSpan.Ticks;

    /// <summary>
    /// Runs a test of the sequence made by <paramref name="create"/>: creates it at
    /// <see cref="ReactiveTest.Created"/> (100), subscribes at <see cref="ReactiveTest.Subscribed"/>
    /// (200), disposes the subscription at <see cref="ReactiveTest.Disposed"/> (1000), and runs
    /// the scheduler until it has nothing left to do.
    /// </summary>
    /// <typeparam name="T">The element type of the sequence under test.</typeparam>
    /// <param name="create">Factory of the sequence under test.</param>
    /// <returns>The observer that recorded the notifications received while subscribed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is null.</exception>
    public ITestableObserver<T> Start<T>(Func<IObservable<T>> create) =>
        Start(create, ReactiveTest.Created, ReactiveTest.Subscribed, ReactiveTest.Disposed);

    /// <summary>
    /// Runs a test of the sequence made by <paramref name="create"/>: creates it at
    /// <see cref="ReactiveTest.Created"/> (100), subscribes at <see cref="ReactiveTest.Subscribed"/>
    /// (200), disposes the subscription at <paramref name="disposed"/>, and runs the scheduler
    /// until it has nothing left to do.
    /// </summary>
    /// <typeparam name="T">The element type of the sequence under test.</typeparam>
    /// <param name="create">Factory of the sequence under test.</param>
    /// <param name="disposed">Virtual time at which to dispose the subscription.</param>
    /// <returns>The observer that recorded the notifications received while subscribed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="disposed"/> is before <see cref="ReactiveTest.Subscribed"/> (200).</exception>
    public ITestableObserver<T> Start<T>(Func<IObservable<T>> create, long disposed) =>
        Start(create, ReactiveTest.Created, ReactiveTest.Subscribed, disposed);

    /// <summary>
    /// Runs a test of the sequence made by <paramref name="create"/>: creates it at
    /// <paramref name="created"/>, subscribes at <paramref name="subscribed"/>, disposes the
    /// subscription at <paramref name="disposed"/>, and runs the scheduler until it has
    /// nothing left to do.
    /// </summary>
    /// <typeparam name="T">The element type of the sequence under test.</typeparam>
    /// <param name="create">Factory of the sequence under test.</param>
    /// <param name="created">Virtual time at which to call <paramref name="create"/>.</param>
    /// <param name="subscribed">Virtual time at which to subscribe to the created sequence.</param>
    /// <param name="disposed">Virtual time at which to dispose the subscription.</param>
    /// <returns>The observer that recorded the notifications received while subscribed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="subscribed"/> is before <paramref name="created"/>, or <paramref name="disposed"/>
    /// is before <paramref name="subscribed"/>. Nothing has been scheduled then: the clock and the
    /// queue are as they were before the call.
    /// </exception>
    /// <exception cref="InvalidOperationException">While running: <paramref name="create"/> returned null.</exception>
    public ITestableObserver<T> Start<T>(Func<IObservable<T>> create, long created, long subscribed, long disposed)
    {
        ArgumentNullException.ThrowIfNull(create);
        // Checked before anything is queued, so a wrong call leaves the scheduler as it was
        // instead of failing halfway through the run with the steps already scheduled.
        ArgumentOutOfRangeException.ThrowIfLessThan(subscribed, created);
        ArgumentOutOfRangeException.ThrowIfLessThan(disposed, subscribed);

        var run = new StartRun<T>(create, CreateObserver<T>());
        ScheduleAbsolute(run, created, static (_, r) => r.Create());
        ScheduleAbsolute(run, subscribed, static (_, r) => r.Subscribe());
        ScheduleAbsolute(run, disposed, static (_, r) => r.Dispose());

        Start();

        return run.Observer;
    }

    /// <summary>
    /// Creates a hot observable: each message is scheduled now, at its absolute virtual time,
    /// and is delivered to whoever is subscribed at that time. A time that is not after the
    /// current clock is moved to <c>Clock + 1</c>.
    /// </summary>
    /// <typeparam name="T">The element type of the sequence.</typeparam>
    /// <param name="messages">Notifications with the absolute virtual times at which to send them.</param>
    /// <returns>
    /// The observable, which records every subscription made to it. Its
    /// <see cref="ITestableObservable{T}.Messages"/> is the <paramref name="messages"/> array
    /// itself; editing it afterwards changes what <c>Messages</c> shows, not what is sent.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    public ITestableObservable<T> CreateHotObservable<T>(params Recorded<Notification<T>>[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);

        return new HotObservable<T>(this, messages);
    }

    /// <summary>
    /// Creates a cold observable: each subscription schedules the messages at their times
    /// relative to the moment of subscribing (a time of 0 or less runs at the next tick).
    /// </summary>
    /// <typeparam name="T">The element type of the sequence.</typeparam>
    /// <param name="messages">Notifications with their virtual time offsets from the subscription.</param>
    /// <returns>
    /// The observable, which records every subscription made to it. Its
    /// <see cref="ITestableObservable{T}.Messages"/> is the <paramref name="messages"/> array
    /// itself, read again at each subscription.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    public ITestableObservable<T> CreateColdObservable<T>(params Recorded<Notification<T>>[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);

        return new ColdObservable<T>(this, messages);
    }

    /// <summary>
    /// Creates an observer that records each notification it receives with the current
    /// virtual time.
    /// </summary>
    /// <typeparam name="T">The element type of the observer.</typeparam>
    /// <returns>The recording observer.</returns>
    public ITestableObserver<T> CreateObserver<T>() => new MockObserver<T>(this);
}

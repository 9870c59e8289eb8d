namespace ReactivePorts.Polling.Backends;

/// <summary>One readiness report from a backend: the registration token and what is ready.</summary>
internal readonly record struct PollEvent(ulong Token, PollEvents Events);

/// <summary>
/// The seam under the poll loop: the real epoll backend, or a virtual one (in-memory devices
/// driven by a TestScheduler) so that everything above the loop runs in virtual time.
/// </summary>
/// <remarks>
/// All members but <see cref="Wake"/>, <see cref="GetTimestamp"/> and the I/O members are called
/// on the loop only. Time is in <see cref="TimeSpan"/> ticks on a monotonic clock.
/// </remarks>
internal interface IPollBackend : IDisposable
{
    /// <summary>True when the loop must run on a thread of its own (epoll); false when an outside pump drives <see cref="PollScheduler.RunOnce"/> (virtual time).</summary>
    bool NeedsThread { get; }

    /// <summary>Monotonic time in TimeSpan ticks.</summary>
    long GetTimestamp();

    /// <summary>Wall-clock time, for <see cref="System.Reactive.Concurrency.IScheduler.Now"/>.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Starts watching <paramref name="fd"/> for <paramref name="interest"/>; returns 0 or -errno.</summary>
    int Add(int fd, PollEvents interest, ulong token);

    /// <summary>Changes the interest of a watched descriptor; returns 0 or -errno.</summary>
    int Modify(int fd, PollEvents interest, ulong token);

    /// <summary>Stops watching <paramref name="fd"/>; returns 0 or -errno.</summary>
    int Remove(int fd);

    /// <summary>
    /// Fills <paramref name="events"/> with ready registrations, waiting at most
    /// <paramref name="timeoutMs"/> ms (-1: until woken, 0: never blocks). Returns the count.
    /// </summary>
    int Wait(Span<PollEvent> events, int timeoutMs);

    /// <summary>Makes a blocked or upcoming <see cref="Wait"/> return promptly. Any thread.</summary>
    void Wake();

    /// <summary>
    /// Reads from <paramref name="fd"/> into up to three buffers, filled in order (empty ones are
    /// skipped). Returns the byte count (0 at end of file) or -errno: -EAGAIN when nothing is there,
    /// -EINTR when interrupted (the caller retries). Any thread; the caller holds a reference on the handle.
    /// </summary>
    nint Read(int fd, Span<byte> first, Span<byte> second, Span<byte> third);

    /// <summary>Writes <paramref name="first"/> then <paramref name="second"/> to <paramref name="fd"/>; returns the byte count written (maybe short) or -errno (-EAGAIN when full). Any thread.</summary>
    nint Write(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second);

    /// <summary>Writes <paramref name="segments"/> in order, gathered (at most 64); returns the byte count written or -errno. Any thread.</summary>
    nint WriteGather(int fd, ReadOnlySpan<ReadOnlyMemory<byte>> segments);

    /// <summary>The file status flags of <paramref name="fd"/> (F_GETFL: access mode, O_NONBLOCK...), or -errno. Any thread.</summary>
    int GetStatusFlags(int fd);

    /// <summary>Sets or clears O_NONBLOCK on <paramref name="fd"/>; 0 or -errno. Any thread.</summary>
    int SetNonBlocking(int fd, bool nonBlocking);

    /// <summary>Called by the loop after every iteration with the timestamp of its earliest timer (or null), so a virtual pump can schedule the next one.</summary>
    void OnIdle(long? nextDue);
}

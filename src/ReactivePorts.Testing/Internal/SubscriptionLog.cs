namespace ReactivePorts.Testing;

/// <summary>
/// Records subscriptions in a testable observable's <see cref="ITestableObservable{T}.Subscriptions"/>:
/// opened with an <see cref="Subscription.Infinite"/> end, closed with the disposal time.
/// </summary>
internal static class SubscriptionLog
{
    public static int Open(List<Subscription> log, long now)
    {
        log.Add(new Subscription(now));
        return log.Count - 1;
    }

    public static void Close(List<Subscription> log, int index, long now)
    {
        // The list is public and writable; if a test cleared it meanwhile, there is nothing to close.
        if (index < log.Count)
        {
            log[index] = new Subscription(log[index].Subscribe, now);
        }
    }
}

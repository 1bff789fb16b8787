namespace Automation.Runtime.Polling;

/// <summary>
/// Wakes an idle poller: at once when this instance just queued something, or at the moment a short delay it just
/// scheduled ends, so that a new event or a 2-second delay does not wait for the next poll.
/// </summary>
public sealed class QueueSignal(TimeProvider time) : IDisposable
{
    /// <summary>Longer waits are left to the poller's regular polling; no timer is kept for them.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a wake-up's time a message may still be hidden: the service keeps visibility in whole seconds
    /// (Azurite was measured showing a message up to a second after the time its visibility named).
    /// </summary>
    private static readonly TimeSpan VisibilityGrain = TimeSpan.FromSeconds(1.5);

    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>Due times of the wake-ups this instance scheduled, until their grain has passed.</summary>
    private readonly SortedSet<DateTimeOffset> due = [];

    public void Notify()
    {
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void NotifyAt(DateTimeOffset at)
    {
        var wait = at - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            Notify();
        }
        else if (wait <= MaxTimer)
        {
            lock (due)
            {
                due.Add(at);
            }

            // A little after the due time: the queue's visibility is in whole seconds.
            _ = Task.Delay(wait + TimeSpan.FromMilliseconds(50), time).ContinueWith(_ => Notify(), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// True while a wake-up this instance scheduled is due but within the visibility grain: an empty receive then means
    /// "not shown yet", and the poller looks again soon instead of backing off. Future wake-ups do not count: their
    /// timers wake the poller when they are due.
    /// </summary>
    public bool Expecting
    {
        get
        {
            var now = time.GetUtcNow();
            lock (due)
            {
                due.RemoveWhere(d => d + VisibilityGrain <= now);
                return due.Count > 0 && due.Min <= now;
            }
        }
    }

    /// <summary>A receive brought messages: the wake-ups due by now count as met, so empty receives back off again.</summary>
    public void Received()
    {
        var now = time.GetUtcNow();
        lock (due)
        {
            due.RemoveWhere(d => d <= now);
        }
    }

    /// <summary>True when signalled, false when <paramref name="timeout"/> passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => signal.Dispose();
}

/// <summary>The signals of this instance's two queues.</summary>
public sealed class QueueSignals(TimeProvider time) : IDisposable
{
    public QueueSignal Events { get; } = new(time);


    public void Dispose()
    {
        Events.Dispose();
    }
}

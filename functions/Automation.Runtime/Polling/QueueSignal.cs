namespace Automation.Runtime.Polling;

/// <summary>
/// Wakes an idle poller: at once when this instance just queued something, or at the moment a short delay it just
/// scheduled ends, so that a new event or a 2-second delay does not wait for the next poll.
/// </summary>
public sealed class QueueSignal(TimeProvider time) : IDisposable
{
    /// <summary>Longer waits are left to the poller's regular polling; no timer is kept for them.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim signal = new(0, 1);

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
            // A little after the due time: the queue's visibility is in whole seconds.
            _ = Task.Delay(wait + TimeSpan.FromMilliseconds(50), time).ContinueWith(_ => Notify(), TaskScheduler.Default);
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

    public QueueSignal Steps { get; } = new(time);

    public void Dispose()
    {
        Events.Dispose();
        Steps.Dispose();
    }
}

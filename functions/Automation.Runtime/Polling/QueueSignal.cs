namespace Automation.Runtime.Polling;

/// <summary>
/// Wakes an idle poller at once when this instance just queued something, so that a new event does not wait for the
/// next poll of an idle queue.
/// </summary>
public sealed class QueueSignal : IDisposable
{
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

    /// <summary>True when signalled, false when <paramref name="timeout"/> passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => signal.Dispose();
}

/// <summary>The signal of this instance's events queue, shared by whatever queues events (intake, record actions).</summary>
public sealed class QueueSignals : IDisposable
{
    public QueueSignal Events { get; } = new();

    public void Dispose() => Events.Dispose();
}

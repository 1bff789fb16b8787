namespace Automation.Runtime.Processing;

/// <summary>
/// Handles one queue message, wherever it comes from: the in-process poller (standalone) or the Functions host
/// posting it to an endpoint. Returning means the message is done and may be deleted; throwing means try again
/// later (the message comes back). A message that fails <see cref="RunnerOptions.MaxDequeueCount"/> times, or
/// cannot be read at all, is written to dead letters and the call returns.
/// </summary>
public interface IQueueProcessor
{
    /// <summary>The queue's short name (<c>events</c>), for logs and dead letters.</summary>
    string Queue { get; }

    Task ProcessAsync(string payload, long dequeueCount, CancellationToken cancellationToken = default);
}

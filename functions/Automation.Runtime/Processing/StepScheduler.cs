using Automation.Runtime.Polling;
using Automation.Runtime.Storage;

namespace Automation.Runtime.Processing;

/// <summary>
/// Queues step messages. A wake-up is a message made visible when the wait ends; waits longer than the queue's 7-day
/// visibility limit hop (the message comes back early, the run sees its wake time is ahead and queues the next hop).
/// Messages never expire: a run must not be lost to a time-to-live.
/// </summary>
public sealed class StepScheduler(AutomationStorage storage, QueueSignals signals, TimeProvider time)
{
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>Queues <paramref name="message"/> to be seen at <paramref name="at"/> (now when null or past), never earlier.</summary>
    public async Task ScheduleAsync(StepMessage message, DateTimeOffset? at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var visibility = VisibilityFor(at, time.GetUtcNow());
        await storage.Steps.SendMessageAsync(message.ToJson(), visibility, NeverExpires, cancellationToken);
        if (visibility > TimeSpan.Zero)
        {
            // Wake the poller when the queue shows the message: its visibility counts from when the queue stored it,
            // before its answer reached us, and is rounded up, so it can be up to a second after `at`. Woken at `at`,
            // an idle poller would find nothing and sleep its whole backoff (up to PollMaxDelay) past the wake time.
            signals.Steps.NotifyAt(time.GetUtcNow() + visibility);
        }
        else
        {
            signals.Steps.Notify();
        }
    }

    /// <summary>Whole seconds, rounded up (visibility has a one-second grain: rounding down would wake early).</summary>
    public static TimeSpan VisibilityFor(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } due || due <= now)
        {
            return TimeSpan.Zero;
        }

        var seconds = Math.Ceiling((due - now).TotalSeconds);
        var visibility = TimeSpan.FromSeconds(seconds);
        return visibility > MaxVisibility ? MaxVisibility : visibility;
    }
}

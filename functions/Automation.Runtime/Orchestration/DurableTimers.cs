using Microsoft.DurableTask;

namespace Automation.Runtime.Orchestration;

/// <summary>Durable timers that never fire before their due time.</summary>
public static class DurableTimers
{
    /// <summary>
    /// The Azure Storage backend sends a timer's queue visibility in whole seconds, truncated, so a timer can fire up to
    /// a second early (docs/architecture.md, "Timers"). Aiming one second past the due time makes the first timer
    /// enough (measured: one timer per wait, late by about half a second); the loop is the guarantee if a clock or
    /// backend does worse. Completes at once when the time has already come.
    /// </summary>
    public static async Task UntilAsync(TaskOrchestrationContext context, DateTimeOffset due, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = due.UtcDateTime;
        while (context.CurrentUtcDateTime < target)
        {
            await context.CreateTimer(target.AddSeconds(1), cancellationToken);
        }
    }
}

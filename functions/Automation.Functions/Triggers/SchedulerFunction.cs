using Automation.Functions.Durable;
using Automation.Runtime.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Triggers;

/// <summary>
/// The scheduler's tick, every minute (keep <c>Automation:Scheduler:Interval</c> equal). A past-due timer needs nothing
/// special: the tick sees what was missed and applies each schedule's catch-up; a failed tick is caught up by the next.
/// </summary>
public sealed class SchedulerFunction(Scheduler scheduler, TimeProvider clock, FunctionsDurableClients clients, ILogger<SchedulerFunction> logger)
{
    public const string Name = "Scheduler";

    [Function(Name)]
    public async Task Run(
        [TimerTrigger("0 * * * * *", UseMonitor = true)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            FunctionLogs.TimerPastDue(logger);
        }

        using (clients.Use(client))
        {
            var result = await scheduler.TickAsync(clock.GetUtcNow(), cancellationToken);
            FunctionLogs.Ticked(logger, result.ToString());
        }
    }
}

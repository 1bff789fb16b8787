using Automation.Runtime.Scheduling;
using Microsoft.DurableTask;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// A date trigger's wake-up: a durable timer until the instant (never early), then <see cref="OrchestrationNames.FireDateWake"/>,
/// which re-reads the workflow and the record before it fires. The instance id is derived from the workflow, the
/// record, the date value and the instant, so scheduling the same wake-up twice starts one instance.
/// </summary>
public sealed class DateWakeOrchestrator : TaskOrchestrator<DateWakeMessage, bool>
{
    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 12,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(10)));

    public override async Task<bool> RunAsync(TaskOrchestrationContext context, DateWakeMessage input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        await DurableTimers.UntilAsync(context, input.DueAt);
        return await context.CallActivityAsync<bool>(OrchestrationNames.FireDateWake, input, ActivityRetry);
    }
}

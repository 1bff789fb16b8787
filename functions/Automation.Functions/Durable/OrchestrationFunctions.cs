using Automation.Runtime.Orchestration;
using Automation.Runtime.Scheduling;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Automation.Functions.Durable;

/// <summary>
/// The orchestrations and activities, by the names the local host registers them under (<see cref="OrchestrationNames"/>);
/// the code is the shared orchestrators and the runtime's services.
/// </summary>
public sealed class OrchestrationFunctions(RunAdvancer advancer, DateTriggers dates)
{
    [Function(OrchestrationNames.RunWorkflow)]
    public static Task<RunResult> RunWorkflow([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RunOrchestrator().RunAsync(context, Input<RunInput>(context));

    [Function(OrchestrationNames.DateWake)]
    public static Task<bool> DateWake([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DateWakeOrchestrator().RunAsync(context, Input<DateWakeMessage>(context));

    [Function(OrchestrationNames.AdvanceRun)]
    public Task<AdvanceResult> AdvanceRun([ActivityTrigger] AdvanceRequest request, CancellationToken cancellationToken) =>
        advancer.AdvanceAsync(request, cancellationToken);

    [Function(OrchestrationNames.FireDateWake)]
    public async Task<bool> FireDateWake([ActivityTrigger] DateWakeMessage wake, CancellationToken cancellationToken)
    {
        await dates.WakeAsync(wake, cancellationToken);
        return true;
    }

    private static T Input<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"Instance {context.InstanceId} has no {typeof(T).Name} input.");
}

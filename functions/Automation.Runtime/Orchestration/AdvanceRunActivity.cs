using Microsoft.DurableTask;

namespace Automation.Runtime.Orchestration;

/// <summary>The <see cref="OrchestrationNames.AdvanceRun"/> activity: <see cref="RunAdvancer"/> behind the Durable Task activity shape.</summary>
public sealed class AdvanceRunActivity(RunAdvancer advancer) : TaskActivity<AdvanceRequest, AdvanceResult>
{
    public override Task<AdvanceResult> RunAsync(TaskActivityContext context, AdvanceRequest input) =>
        advancer.AdvanceAsync(input, CancellationToken.None);
}

/// <summary>The <see cref="OrchestrationNames.FireDateWake"/> activity.</summary>
public sealed class FireDateWakeActivity(Scheduling.DateTriggers dates) : TaskActivity<Scheduling.DateWakeMessage, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, Scheduling.DateWakeMessage input)
    {
        await dates.WakeAsync(input, CancellationToken.None);
        return true;
    }
}

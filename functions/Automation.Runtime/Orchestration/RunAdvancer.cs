namespace Automation.Runtime.Orchestration;

/// <summary>The body of the <see cref="OrchestrationNames.AdvanceRun"/> activity (work in progress: filled in by the move to Durable).</summary>
public sealed class RunAdvancer
{
    public Task<AdvanceResult> AdvanceAsync(AdvanceRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}

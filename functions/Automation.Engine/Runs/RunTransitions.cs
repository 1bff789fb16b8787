namespace Automation.Engine.Runs;

/// <summary>Every allowed run status change, in one place. The runner and the admin API ask here before writing.</summary>
public static class RunTransitions
{
    public static bool IsTerminal(RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed
        or RunStatus.Skipped or RunStatus.Exited or RunStatus.Cancelled;

    public static bool CanTransition(RunStatus from, RunStatus to) => (from, to) switch
    {
        (RunStatus.Running, RunStatus.Running) => true,
        (RunStatus.Running, RunStatus.Waiting) => true,
        (RunStatus.Running, RunStatus.Succeeded) => true,
        (RunStatus.Running, RunStatus.Failed) => true,
        (RunStatus.Running, RunStatus.Exited) => true,
        (RunStatus.Running, RunStatus.Cancelled) => true,
        (RunStatus.Waiting, RunStatus.Running) => true,

        // Still waiting: a wake-up that came early (long delays hop over the queue's 7-day visibility limit), or a
        // step woken from a wait that failed and waits again for its retry.
        (RunStatus.Waiting, RunStatus.Waiting) => true,
        (RunStatus.Waiting, RunStatus.Exited) => true,
        (RunStatus.Waiting, RunStatus.Cancelled) => true,
        (RunStatus.Waiting, RunStatus.Failed) => true,

        // Retry: a failed run resumes from its failed step, or from the start.
        (RunStatus.Failed, RunStatus.Running) => true,
        _ => false,
    };

    /// <summary>Cancel is allowed while the run has not ended.</summary>
    public static bool CanCancel(RunStatus status) => CanTransition(status, RunStatus.Cancelled);

    public static bool CanRetry(RunStatus status) => status == RunStatus.Failed;
}

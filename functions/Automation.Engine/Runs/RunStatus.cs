namespace Automation.Engine.Runs;

/// <summary>Where a run is. Terminal: succeeded, failed, skipped, exited, cancelled (failed can be retried).</summary>
public enum RunStatus
{
    /// <summary>Executing steps (or queued to).</summary>
    Running,

    /// <summary>Waiting for a delay, a retry backoff or an approval; <c>wakeAt</c> says until when.</summary>
    Waiting,

    Succeeded,
    Failed,

    /// <summary>The trigger matched but the workflow's conditions did not: kept with the trace, no step ran.</summary>
    Skipped,

    /// <summary>An exit condition became true.</summary>
    Exited,

    Cancelled,
}

/// <summary>What happened to one attempt of one step.</summary>
public enum StepStatus
{
    Succeeded,

    /// <summary>The attempt failed and no retry is left (or the failure is final): the run failed.</summary>
    Failed,

    /// <summary>The attempt failed; another is scheduled.</summary>
    Retrying,

    /// <summary>The step's condition was false, or compliance (do-not-contact, opt-out) stopped it.</summary>
    Skipped,

    /// <summary>The action waits for a decision made outside the run (an email draft to approve); it runs again once made.</summary>
    Waiting,
}

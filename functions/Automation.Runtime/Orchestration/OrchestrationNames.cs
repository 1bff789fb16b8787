namespace Automation.Runtime.Orchestration;

/// <summary>
/// The names of the orchestrations and activities, shared by both hosts: the Functions app's <c>[Function]</c>
/// adapters and the local host's registrations must use these, or a run started by one cannot be replayed by the other.
/// </summary>
public static class OrchestrationNames
{
    /// <summary>One instance per run (instance id = run id): drives the run from step to step, waits on durable timers.</summary>
    public const string RunWorkflow = "RunWorkflow";

    /// <summary>Executes a run's steps from its cursor until it must wait or ends; writes the step logs and the index.</summary>
    public const string AdvanceRun = "AdvanceRun";

    /// <summary>One instance per date trigger wake-up: a durable timer until the date, then <see cref="FireDateWake"/>.</summary>
    public const string DateWake = "DateWake";

    /// <summary>Re-checks a date trigger's record and fires its <c>date.reached</c> event.</summary>
    public const string FireDateWake = "FireDateWake";

    /// <summary>Every orchestration, for registration and the drift test.</summary>
    public static readonly IReadOnlyList<string> Orchestrations = [RunWorkflow, DateWake];

    /// <summary>Every activity, for registration and the drift test.</summary>
    public static readonly IReadOnlyList<string> Activities = [AdvanceRun, FireDateWake];
}

/// <summary>External events a run's orchestration waits for.</summary>
public static class RunEvents
{
    /// <summary>An event about the run's record was processed: look at the exit conditions again now.</summary>
    public const string RecordChanged = "RecordChanged";

    /// <summary>The outside decision a step waits for was made (an email draft approved or discarded); the payload is its key.</summary>
    public const string Decision = "Decision";

    /// <summary>An admin asked a waiting run to go on now instead of at its wake time; the payload says who.</summary>
    public const string RunNow = "RunNow";
}

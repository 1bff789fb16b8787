using System.Text.Json;

namespace Automation.Engine.Runs;

/// <summary>
/// The durable state of one run: one enrollment of one record in one workflow version.
/// The runner persists it (with an ETag) and the engine decides from it what happens next.
/// </summary>
public sealed record RunState
{
    public required string RunId { get; init; }

    public required string WorkflowId { get; init; }

    public required int WorkflowVersion { get; init; }

    public required string Module { get; init; }

    public required string RecordId { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>Index of the next step to execute; equal to the step count when all are done.</summary>
    public int Cursor { get; init; }

    /// <summary>Attempt number of the step at <see cref="Cursor"/> that runs next (1 = first try).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>When the cursor reached the current step: the start of its delay.</summary>
    public DateTimeOffset CursorSince { get; init; }

    /// <summary>When set, nothing runs before this instant (a delay or a retry backoff); never early.</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>True once the current step's delay has been scheduled (so it is computed once, from <see cref="CursorSince"/>).</summary>
    public bool DelayScheduled { get; init; }

    /// <summary>
    /// Set while the step at the cursor waits for a decision made outside the run (an email draft's approval): the
    /// key names what is awaited. <see cref="WakeAt"/> is then the decision's deadline (none: wait for ever). A signal
    /// carrying this key clears it and the step runs again to act on the decision.
    /// </summary>
    public string? AwaitKey { get; init; }

    public required string TriggerEventId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Steps executed (not skipped) so far.</summary>
    public int StepsExecuted { get; init; }

    /// <summary>
    /// How many times an admin retried this run. Part of every idempotency key, so that a step an admin asks to run
    /// again is not taken by the receiver for a repeat of the attempt that already reached it.
    /// </summary>
    public int Retries { get; init; }

    /// <summary>The last error of a failed run (or the reason it was skipped, exited or stopped).</summary>
    public string? Error { get; init; }

    /// <summary>Causation depth of the trigger event: events caused by this run's record actions get depth + 1.</summary>
    public int CausationDepth { get; init; }

    /// <summary>Outputs of finished steps by step id, visible to templates and conditions as <c>run.steps.&lt;id&gt;</c>.</summary>
    public JsonElement? Outputs { get; init; }
}

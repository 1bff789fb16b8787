using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;

namespace Automation.Runtime.Actions;

/// <summary>
/// Executes one action type. The runner renders the step's params, calls <see cref="ExecuteAsync"/> once per attempt,
/// and decides retries from the failure the handler reports (whether it may be retried and after how long).
/// Handlers must not throw for an expected failure (a 4xx, a timeout); an exception counts as a retryable failure.
/// </summary>
public interface IActionHandler
{
    /// <summary>The action type, e.g. <c>call_webhook</c>.</summary>
    string Type { get; }

    Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// What a handler gets: the rendered params, the run and step it acts for, the scope the templates saw, and an
/// idempotency key that is the same for a repeat of this attempt after a crash and differs between attempts.
/// </summary>
public sealed record ActionContext
{
    public required RunState Run { get; init; }

    public required Step Step { get; init; }

    public required int StepIndex { get; init; }

    public required int Attempt { get; init; }

    /// <summary>The step's params with every template rendered (an object; empty when the step has none).</summary>
    public required JsonElement Params { get; init; }

    public required EvaluationScope Scope { get; init; }

    /// <summary><c>{runId}:{stepId}:{attempt}</c>, or <c>{runId}:{stepId}:r{retries}:{attempt}</c> once an admin retried the run.</summary>
    public required string IdempotencyKey { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>The causation an event caused by this step must carry (record actions pass it on, invariant 7).</summary>
    public Causation NextCausation => new(Run.RunId, Run.WorkflowId, Step.Id, Run.CausationDepth + 1);

    public static string KeyFor(string runId, string stepId, int attempt, int retries = 0) =>
        retries == 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{runId}:{stepId}:{attempt}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{runId}:{stepId}:r{retries}:{attempt}");
}

/// <summary>
/// An attempt's outcome: an output (JSON, kept in the step log and visible as <c>run.steps.&lt;id&gt;</c>), a failure, a
/// skip (the action chose not to act, e.g. compliance: logged as skipped with the reason, the run moves on), or a wait
/// for an outside decision (the run waits without using up the attempt, and the step runs again once it is made).
/// </summary>
public sealed record ActionResult(JsonElement? Output, StepFailure? Failure)
{
    /// <summary>Why the action did not act; the step is logged as skipped and the run moves on.</summary>
    public string? SkipReason { get; init; }

    /// <summary>The decision the action waits for; the run waits and the step runs again when it is made.</summary>
    public ActionAwait? Await { get; init; }

    public bool Succeeded => Failure is null && SkipReason is null && Await is null;

    public static ActionResult Success(JsonElement? output = null) => new(output, null);

    public static ActionResult Fail(string message, bool retryable, TimeSpan? retryAfter = null) =>
        new(null, new StepFailure(message, retryable, retryAfter));

    public static ActionResult Fail(JsonElement? output, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new(output, new StepFailure(message, retryable, retryAfter));

    public static ActionResult Skip(string reason, JsonElement? output = null) => new(output, null) { SkipReason = reason };

    public static ActionResult Awaiting(ActionAwait wait, JsonElement? output = null) => new(output, null) { Await = wait };
}

/// <summary>
/// A decision an action waits for. <paramref name="Key"/> names it (unique per run and step; a signal must carry it);
/// <paramref name="Deadline"/> is when the step runs again without it (null: never). <paramref name="DecidedAsync"/> is
/// asked once the run is durably waiting: a decision made while the action was still running found no waiting run to
/// wake, so the runner wakes it itself.
/// </summary>
public sealed record ActionAwait(string Key, DateTimeOffset? Deadline, Func<CancellationToken, Task<bool>>? DecidedAsync = null);

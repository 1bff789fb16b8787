using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Conditions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Triggers;

namespace Automation.Engine.Runs;

/// <summary>
/// Every change the runner, the event processor and the admin API make to a run, so that none of them holds run
/// logic of its own. Each checks <see cref="RunTransitions"/> and throws <see cref="InvalidOperationException"/> for a
/// change the run's status does not allow (the caller loaded a stale run: reload and decide again).
/// </summary>
public static class RunProgress
{
    /// <summary>A new run for an enrollment decision: <c>running</c> at step 0, or <c>skipped</c> with the reason and no step.</summary>
    public static RunState Start(string runId, Workflow version, CrmEvent evt, EnrollmentDecision decision, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(decision);
        var workflowId = version.Id ?? throw new InvalidOperationException("A run needs a saved workflow (with an id).");
        var skipped = decision.Outcome switch
        {
            EnrollmentOutcome.Enroll => false,
            EnrollmentOutcome.EnrollSkipped => true,
            _ => throw new InvalidOperationException($"No run starts for an ignored event: {decision.Reason}"),
        };

        return new RunState
        {
            RunId = runId,
            WorkflowId = workflowId,
            WorkflowVersion = version.Version,
            Module = evt.Module,
            RecordId = evt.RecordId,
            Status = skipped ? RunStatus.Skipped : RunStatus.Running,
            Cursor = 0,
            Attempt = 1,
            CursorSince = now,
            TriggerEventId = evt.Id,
            CreatedAt = now,
            UpdatedAt = now,
            EndedAt = skipped ? now : null,
            Error = skipped ? decision.Reason : null,
            CausationDepth = evt.Causation?.Depth ?? 0,
        };
    }

    /// <summary>The step at the cursor succeeded: its output is kept for <c>run.steps.&lt;id&gt;</c> and the cursor moves on.</summary>
    public static RunState AfterStepSucceeded(RunState run, Step step, DateTimeOffset now, JsonElement? output)
    {
        ArgumentNullException.ThrowIfNull(step);
        RequireStep(run, RunStatus.Running);
        return NextStep(run, now) with
        {
            StepsExecuted = run.StepsExecuted + 1,
            Outputs = WithOutput(run.Outputs, step.Id, output),
        };
    }

    /// <summary>The step at the cursor was skipped (its condition was false, or compliance stopped it): the cursor moves on.</summary>
    public static RunState AfterStepSkipped(RunState run, DateTimeOffset now)
    {
        RequireStep(run, RunStatus.Running);
        return NextStep(run, now);
    }

    /// <summary>The run waits until <paramref name="until"/>; the current step's delay counts as scheduled, so it is not computed again.</summary>
    public static RunState AfterWaitScheduled(RunState run, DateTimeOffset until, DateTimeOffset now)
    {
        Require(run, RunStatus.Waiting);
        return run with { Status = RunStatus.Waiting, WakeAt = until, DelayScheduled = true, UpdatedAt = now };
    }

    /// <summary>
    /// The step at the cursor waits for a decision made outside the run, named by <paramref name="key"/> (an email
    /// draft's approval), until <paramref name="deadline"/> at the latest (null: no deadline). The attempt is not used
    /// up: when the decision comes (<see cref="AfterSignal"/>) or the deadline passes, the step runs again with the same
    /// attempt, and its action acts on the decision.
    /// </summary>
    public static RunState AfterAwait(RunState run, string key, DateTimeOffset? deadline, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        RequireStep(run, RunStatus.Waiting);
        return run with { Status = RunStatus.Waiting, AwaitKey = key, WakeAt = deadline, DelayScheduled = true, Error = null, UpdatedAt = now };
    }

    /// <summary>
    /// The decision <paramref name="key"/> names was made: the run no longer waits for it and runs its step again.
    /// Null when the run is not waiting for that decision (it moved on, ended, or waits for something else), so that a
    /// stale or forged signal cannot wake a run early.
    /// </summary>
    public static RunState? AfterSignal(RunState run, string key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Waiting || !string.Equals(run.AwaitKey, key, StringComparison.Ordinal))
        {
            return null;
        }

        return run with { AwaitKey = null, WakeAt = null, UpdatedAt = now };
    }

    /// <summary>
    /// An admin asked a waiting run to go on now: a delay, a retry's backoff, a send window or a paused workflow's
    /// re-check ends here. Null when the run is not waiting on a time, or waits for a decision (a draft is approved or
    /// discarded on its own page, not skipped).
    /// </summary>
    public static RunState? SkipWait(RunState run, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Waiting || run.AwaitKey is not null || run.WakeAt is null)
        {
            return null;
        }

        return run with { WakeAt = null, DelayScheduled = true, UpdatedAt = now };
    }

    /// <summary>
    /// The step at the cursor failed. When the failure may be retried and attempts are left
    /// (<c>step.retry</c>, else <see cref="RetryPolicy.Default"/>), the run waits for the next attempt: the policy's
    /// backoff, or the failure's <c>Retry-After</c> when that is longer. Otherwise the run fails. A status of
    /// <see cref="RunStatus.Waiting"/> in the result means a retry is scheduled (log the attempt as retrying).
    /// </summary>
    public static RunState AfterStepFailed(RunState run, Step step, StepFailure failure, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(failure);
        var policy = step.Retry ?? RetryPolicy.Default;
        if (failure.Retryable && run.Attempt < policy.MaxAttempts)
        {
            RequireStep(run, RunStatus.Waiting);
            var next = run.Attempt + 1;
            var wait = policy.DelayBefore(next);
            if (failure.RetryAfter is { } asked && asked > wait)
            {
                wait = asked;
            }

            return run with
            {
                Status = RunStatus.Waiting,
                Attempt = next,
                WakeAt = now + wait,

                // The step's delay was served before this attempt; a retry must not serve it again.
                DelayScheduled = true,
                AwaitKey = null,
                Error = failure.Message,
                UpdatedAt = now,
            };
        }

        RequireStep(run, RunStatus.Failed);
        var why = failure.Retryable
            ? $"Step '{step.Id}' failed after {run.Attempt} attempt(s): {failure.Message}"
            : $"Step '{step.Id}' failed: {failure.Message}";
        return Fail(run, why, now);
    }

    /// <summary>The run fails with <paramref name="error"/> (a step out of attempts, or a <see cref="FailRun"/> decision).</summary>
    public static RunState Fail(RunState run, string error, DateTimeOffset now)
    {
        Require(run, RunStatus.Failed);
        return Ended(run, RunStatus.Failed, now) with { Error = error };
    }

    /// <summary>An exit condition became true; the reason names the leaves that were true.</summary>
    public static RunState AfterExit(RunState run, ConditionTrace trace, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Require(run, RunStatus.Exited);
        var leaves = trace.Leaves.Where(l => l.Result).Select(l => l.Path).Distinct(StringComparer.Ordinal).ToArray();
        var which = leaves.Length == 0 ? "" : " (" + string.Join(", ", leaves) + ")";
        return Ended(run, RunStatus.Exited, now) with { Error = $"An exit condition became true{which}." };
    }

    public static RunState AfterFinish(RunState run, DateTimeOffset now)
    {
        Require(run, RunStatus.Succeeded);
        return Ended(run, RunStatus.Succeeded, now) with { Error = null };
    }

    public static RunState Cancel(RunState run, DateTimeOffset now, string? reason = null)
    {
        Require(run, RunStatus.Cancelled);
        return Ended(run, RunStatus.Cancelled, now) with { Error = reason ?? "Cancelled." };
    }

    /// <summary>
    /// Resumes a failed run: from its failed step with a fresh set of attempts (that step's delay was served
    /// already), or from the first step with outputs cleared, delays counting from now.
    /// </summary>
    public static RunState RetryFrom(RunState run, bool fromStart, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!RunTransitions.CanRetry(run.Status))
        {
            throw new InvalidOperationException($"Only a failed run can be retried; this one is {Name(run.Status)}.");
        }

        Require(run, RunStatus.Running);
        var resumed = run with
        {
            Status = RunStatus.Running,
            Attempt = 1,
            Retries = run.Retries + 1,
            WakeAt = null,
            AwaitKey = null,
            EndedAt = null,
            Error = null,
            UpdatedAt = now,
        };
        return fromStart
            ? resumed with { Cursor = 0, CursorSince = now, DelayScheduled = false, StepsExecuted = 0, Outputs = null }
            : resumed with { DelayScheduled = true };
    }

    private static RunState NextStep(RunState run, DateTimeOffset now) => run with
    {
        Status = RunStatus.Running,
        Cursor = run.Cursor + 1,
        Attempt = 1,
        CursorSince = now,
        DelayScheduled = false,
        WakeAt = null,
        AwaitKey = null,
        Error = null,
        UpdatedAt = now,
    };

    private static RunState Ended(RunState run, RunStatus status, DateTimeOffset now) =>
        run with { Status = status, WakeAt = null, AwaitKey = null, EndedAt = now, UpdatedAt = now };

    /// <summary>
    /// A step outcome belongs to a live run. Failed → running is a legal change (an admin's retry) but not one a step
    /// outcome may make: it would revive a run that failed while this step was executing elsewhere.
    /// </summary>
    private static void RequireStep(RunState run, RunStatus to)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status is not (RunStatus.Running or RunStatus.Waiting))
        {
            throw new InvalidOperationException($"Run '{run.RunId}' is {Name(run.Status)}: no step outcome applies to it.");
        }

        Require(run, to);
    }

    private static void Require(RunState run, RunStatus to)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!RunTransitions.CanTransition(run.Status, to))
        {
            throw new InvalidOperationException($"Run '{run.RunId}' cannot go from {Name(run.Status)} to {Name(to)}.");
        }
    }

    private static string Name(RunStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static JsonElement WithOutput(JsonElement? outputs, string stepId, JsonElement? output)
    {
        var all = outputs is { ValueKind: JsonValueKind.Object } o
            ? JsonObject.Create(o) ?? new JsonObject()
            : new JsonObject();
        all[stepId] = output is { } value && !JsonValues.IsNothing(value) ? JsonNode.Parse(value.GetRawText()) : null;
        return JsonSerializer.SerializeToElement(all, EngineJson.Options);
    }
}

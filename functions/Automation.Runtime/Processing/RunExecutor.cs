using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Templates;
using Automation.Runtime.Actions;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Azure;
using WaitUntil = Automation.Engine.Runs.WaitUntil;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Processing;

/// <summary>
/// Drives one run from its cursor, inside one <c>AdvanceRun</c> activity: asks <see cref="RunDecider"/> what is next,
/// executes actions, applies the outcome with <see cref="RunProgress"/>, and checkpoints. Steps without a delay run
/// back to back; a wait ends the activity, and the run's orchestration waits on a durable timer or an event.
/// <para>Checkpoints: the run row and the step logs since the last one, in one batch in the record's partition, with
/// the run row's ETag. One is written before each action when anything changed since the last (so no action runs
/// twice after its step was checkpointed, invariant 2: an activity redelivered after a crash starts from the last
/// checkpoint) and one when the run stops. Decisions that execute nothing (a skipped step, the finish, an exit) ride
/// along with the next checkpoint. A 412 means an admin moved the run meanwhile (a cancel): the activity stops.</para>
/// </summary>
public sealed class RunExecutor(
    AutomationStorage storage,
    WorkflowCatalog catalog,
    ActionHandlers handlers,
    TemplateRenderer renderer,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    /// <summary>A batch holds 100 operations; flush before that many step logs pile up.</summary>
    private const int MaxLogsPerCheckpoint = 90;

    /// <param name="handle">The run as loaded.</param>
    /// <param name="inputs">What the run's templates and conditions see.</param>
    /// <param name="signal">The decision the run may be awaiting was made (its key).</param>
    /// <param name="runNowBy">An admin asked the waiting run to go on now: its wait ends here (who asked).</param>
    /// <param name="cancellationToken">Stops the run between steps.</param>
    public async Task<RunOutcome> ExecuteAsync(
        RunHandle handle, RunInputs inputs, string? signal = null, string? runNowBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(inputs);
        var state = new Progress(handle);
        var triggerEvent = inputs.TriggerEvent is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(inputs.TriggerEvent, EngineJson.Options);
        if (signal is not null && RunProgress.AfterSignal(state.Run, signal, time.GetUtcNow()) is { } woken)
        {
            state.Apply(woken);
        }

        if (runNowBy is not null && RunProgress.SkipWait(state.Run, runNowBy, time.GetUtcNow()) is { } hurried)
        {
            state.Apply(hurried);
            Logs.RunHurried(logger, state.Run.RunId, runNowBy);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = state.Run;
            var now = time.GetUtcNow();
            var version = await catalog.VersionAsync(run.WorkflowId, run.WorkflowVersion, cancellationToken)
                ?? throw new InvalidOperationException($"Run '{run.RunId}': workflow '{run.WorkflowId}' version {run.WorkflowVersion} does not exist.");
            var scope = Scope(run, inputs, triggerEvent, now);
            var decision = RunDecider.Decide(run, version, scope, renderer, now);
            switch (decision)
            {
                case NothingToDo:
                    if (!state.Dirty)
                    {
                        return RunOutcome.Nothing;
                    }

                    return await StopAsync(state, cancellationToken) ? RunOutcome.Ended : RunOutcome.Lost;

                case FinishRun:
                    state.Apply(RunProgress.AfterFinish(run, now));
                    Logs.RunEnded(logger, run.RunId, "succeeded");
                    return await StopAsync(state, cancellationToken) ? RunOutcome.Ended : RunOutcome.Lost;

                case ExitRun exit:
                    state.Apply(RunProgress.AfterExit(run, exit.Trace, now));
                    state.Exit = exit.Trace;
                    Logs.RunEnded(logger, run.RunId, "exited");
                    return await StopAsync(state, cancellationToken) ? RunOutcome.Ended : RunOutcome.Lost;

                case FailRun fail:
                    state.Apply(RunProgress.Fail(run, fail.Error, now));
                    Logs.RunEnded(logger, run.RunId, "failed");
                    return await StopAsync(state, cancellationToken) ? RunOutcome.Ended : RunOutcome.Lost;

                case WaitUntil wait:
                    return await WaitAsync(state, wait, now, cancellationToken);

                case SkipStep skip:
                    if (await HeldBackAsync(state, now, cancellationToken) is { } held)
                    {
                        return held;
                    }

                    state.Log(new StepLogEntry
                    {
                        RunId = run.RunId,
                        StepId = skip.Step.Id,
                        StepIndex = skip.StepIndex,
                        Attempt = run.Attempt,
                        Action = skip.Step.Action,
                        Status = StepStatus.Skipped,
                        StartedAt = now,
                        EndedAt = now,
                        Error = "The step's condition is false.",
                        Trace = skip.Trace,
                    });
                    state.Apply(RunProgress.AfterStepSkipped(run, now));
                    if (state.PendingLogs.Count >= MaxLogsPerCheckpoint && !await CheckpointAsync(state, cancellationToken))
                    {
                        return RunOutcome.Lost;
                    }

                    break;

                case RunStep step:
                    if (await HeldBackAsync(state, now, cancellationToken) is { } paused)
                    {
                        return paused;
                    }

                    // Make everything before this step durable before the action has any effect.
                    if (state.Run.Status == RunStatus.Waiting)
                    {
                        // Woken: the run is running again.
                        state.Apply(state.Run with { Status = RunStatus.Running, UpdatedAt = now });
                    }

                    if (state.Dirty)
                    {
                        if (!await CheckpointAsync(state, cancellationToken))
                        {
                            return RunOutcome.Lost;
                        }
                    }

                    if (await ExecuteStepAsync(state, step, scope, cancellationToken) is { } awaiting)
                    {
                        return await AwaitAsync(state, awaiting, cancellationToken);
                    }

                    break;

                default:
                    throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}.");
            }
        }
    }

    /// <summary>Runs one attempt and applies its outcome; returns the decision the action waits for, if it waits.</summary>
    private async Task<ActionAwait?> ExecuteStepAsync(Progress state, RunStep decision, EvaluationScope scope, CancellationToken cancellationToken)
    {
        var run = state.Run;
        var step = decision.Step;
        var startedAt = time.GetUtcNow();
        JsonElement? input = null;
        ActionResult result;
        var rendered = renderer.RenderParams(step.Params, scope);
        if (!rendered.Ok)
        {
            var errors = string.Join("; ", rendered.Errors.Select(e => $"params.{e.Key}: {e.Value.Message}"));
            result = ActionResult.Fail($"A template failed: {errors}", retryable: false);
        }
        else
        {
            input = SecretMasker.Apply(rendered.Rendered, step.Action);
            if (!handlers.TryGet(step.Action, out var handler))
            {
                result = ActionResult.Fail(ActionHandlers.NotAvailable(step.Action), retryable: false);
            }
            else
            {
                var context = new ActionContext
                {
                    Run = run,
                    Step = step,
                    StepIndex = decision.StepIndex,
                    Attempt = decision.Attempt,
                    Params = rendered.Rendered.ValueKind == JsonValueKind.Object ? rendered.Rendered : EmptyObject,
                    Scope = scope,
                    IdempotencyKey = ActionContext.KeyFor(run.RunId, step.Id, decision.Attempt, run.Retries),
                    Now = startedAt,
                };
                Logs.StepStarted(logger, run.RunId, step.Id, step.Action, decision.Attempt);
                try
                {
                    result = await handler.ExecuteAsync(context, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    Logs.ActionThrew(logger, e, run.RunId, step.Id, step.Action);
                    result = ActionResult.Fail($"The action failed unexpectedly: {e.Message}", retryable: true);
                }
            }
        }

        var endedAt = time.GetUtcNow();
        StepStatus status;
        if (result.Failure is { } failure)
        {
            var after = RunProgress.AfterStepFailed(run, step, failure, endedAt);
            status = after.Status == RunStatus.Waiting ? StepStatus.Retrying : StepStatus.Failed;
            Logs.StepFailed(logger, run.RunId, step.Id, decision.Attempt, failure.Retryable, status == StepStatus.Retrying);
            state.Apply(after);
        }
        else if (result.SkipReason is not null)
        {
            // The action chose not to act (do-not-contact, opt-out, suppression, a discarded draft): the run moves on.
            status = StepStatus.Skipped;
            state.Apply(RunProgress.AfterStepSkipped(run, endedAt));
        }
        else if (result.Await is { } awaiting)
        {
            status = StepStatus.Waiting;
            state.Apply(RunProgress.AfterAwait(run, awaiting.Key, awaiting.Deadline, endedAt));
        }
        else
        {
            status = StepStatus.Succeeded;
            state.Apply(RunProgress.AfterStepSucceeded(run, step, endedAt, result.Output));
        }

        state.Log(new StepLogEntry
        {
            RunId = run.RunId,
            StepId = step.Id,
            StepIndex = decision.StepIndex,
            Attempt = decision.Attempt,
            Action = step.Action,
            Status = status,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Input = input,
            Output = result.Output,
            Error = result.Failure?.Message ?? result.SkipReason,
        });
        return result.Failure is null && result.SkipReason is null ? result.Await : null;
    }

    /// <summary>
    /// The step waits for an outside decision: checkpoint the run waiting. Then ask whether the decision came while the
    /// action ran: whoever made it raised it to the orchestration, which also goes on at once when told here.
    /// </summary>
    private async Task<RunOutcome> AwaitAsync(Progress state, ActionAwait awaiting, CancellationToken cancellationToken)
    {
        var run = state.Run;
        Logs.RunWaiting(logger, run.RunId, run.Cursor, awaiting.Deadline ?? DateTimeOffset.MaxValue);
        if (!await StopAsync(state, cancellationToken))
        {
            return RunOutcome.Lost;
        }

        if (awaiting.DecidedAsync is { } decided && await decided(cancellationToken))
        {
            return RunOutcome.Decided;
        }

        return RunOutcome.Waiting;
    }

    /// <summary>
    /// A wait: checkpoint the run as waiting until <see cref="WaitUntil.Until"/>; the orchestration sets the timer. A run
    /// that was already waiting for that instant (woken early, or by a record event that did not make it exit) writes
    /// nothing.
    /// </summary>
    private async Task<RunOutcome> WaitAsync(Progress state, WaitUntil wait, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = state.Run;
        if (!wait.NewDelay && !state.Dirty && run.Status == RunStatus.Waiting && run.WakeAt == wait.Until)
        {
            return RunOutcome.Waiting;
        }

        if (wait.NewDelay)
        {
            state.Apply(RunProgress.AfterWaitScheduled(run, wait.Until, now));
        }
        else if (run.Status != RunStatus.Waiting || run.WakeAt != wait.Until)
        {
            // Already decided (a retry's backoff), or held back by a paused workflow: the run waits until then.
            state.Apply(run with { Status = RunStatus.Waiting, WakeAt = wait.Until, UpdatedAt = now });
        }

        Logs.RunWaiting(logger, run.RunId, wait.StepIndex, wait.Until);
        return await StopAsync(state, cancellationToken) ? RunOutcome.Waiting : RunOutcome.Lost;
    }

    /// <summary>
    /// A paused (or draft) workflow's run runs no step: it waits and looks again after
    /// <see cref="RunnerOptions.PausedRecheckInterval"/>. An archived workflow's run is cancelled.
    /// Null: go ahead.
    /// </summary>
    private async Task<RunOutcome?> HeldBackAsync(Progress state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var head = await catalog.HeadAsync(state.Run.WorkflowId, cancellationToken);
        var status = head?.Status ?? WorkflowStatus.Archived;
        if (status == WorkflowStatus.Active)
        {
            return null;
        }

        var run = state.Run;
        if (status == WorkflowStatus.Archived)
        {
            state.Apply(RunProgress.Cancel(run, now, "The workflow was archived."));
            Logs.RunEnded(logger, run.RunId, "cancelled (workflow archived)");
            return await StopAsync(state, cancellationToken) ? RunOutcome.Ended : RunOutcome.Lost;
        }

        var recheck = now + options.Value.PausedRecheckInterval;
        var until = run.WakeAt is { } w && w > recheck ? w : recheck;
        Logs.RunParked(logger, run.RunId, run.WorkflowId, until);
        return await WaitAsync(state, new WaitUntil(until, run.Cursor, NewDelay: false), now, cancellationToken);
    }

    /// <summary>The last checkpoint of this activity (when anything is left to write).</summary>
    private Task<bool> StopAsync(Progress state, CancellationToken cancellationToken) =>
        state.Dirty || state.PendingLogs.Count > 0 ? CheckpointAsync(state, cancellationToken) : Task.FromResult(true);

    private async Task<bool> CheckpointAsync(Progress state, CancellationToken cancellationToken)
    {
        var handle = state.Handle;
        var row = handle.Row with
        {
            State = state.Run,
            LogSeq = handle.Row.LogSeq + state.PendingLogs.Count,
            Exit = state.Exit ?? handle.Row.Exit,
        };
        var actions = new List<TableTransactionAction>(state.PendingLogs.Count + 1)
        {
            new(TableTransactionActionType.UpdateReplace, row.ToEntity(handle.Partition), handle.Row.ETag),
        };
        for (var i = 0; i < state.PendingLogs.Count; i++)
        {
            actions.Add(new(TableTransactionActionType.Add, StepLogRows.ToEntity(handle.Partition, handle.Row.LogSeq + i, state.PendingLogs[i])));
        }

        try
        {
            var response = await storage.Records.SubmitTransactionAsync(actions, cancellationToken);
            handle.Row = row with { ETag = response.Value[0].Headers.ETag ?? default };
            state.Checkpointed();
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
        {
            Logs.RunLost(logger, state.Run.RunId, e.Status);
            return false;
        }
    }

    public static EvaluationScope Scope(RunState run, RunInputs inputs, JsonElement? triggerEvent, DateTimeOffset now) => new()
    {
        Record = inputs.Record,
        Previous = inputs.Previous,
        Event = triggerEvent,
        Run = RunContext.Build(run),
        Now = now,
    };

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The run as this worker has moved it, and what is not yet checkpointed.</summary>
    private sealed class Progress(RunHandle handle)
    {
        public RunHandle Handle { get; } = handle;

        public RunState Run { get; private set; } = handle.Row.State;

        public List<StepLogEntry> PendingLogs { get; } = [];

        public ConditionTrace? Exit { get; set; }

        /// <summary>The run differs from the stored row.</summary>
        public bool Dirty { get; private set; }

        public void Apply(RunState run)
        {
            Run = run;
            Dirty = true;
        }

        public void Log(StepLogEntry entry) => PendingLogs.Add(entry);

        public void Checkpointed()
        {
            PendingLogs.Clear();
            Dirty = false;
        }
    }
}

using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Triggers;
using Automation.Runtime.Crm;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Records;

/// <summary><c>start_workflow</c>: enrolls the record in <c>params.workflowId</c>.</summary>
public sealed class StartWorkflowHandler(WorkflowEnroller enroller) : IActionHandler
{
    public string Type => ActionTypes.StartWorkflow;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return enroller.EnrollAsync(context, RecordParams.Text(context.Params, "workflowId"), cancellationToken);
    }
}

/// <summary>
/// <c>add_to_sequence</c>: a sequence is a workflow of timed steps, so adding the record to one enrolls it in that
/// workflow (<c>params.workflowId</c>, or <c>params.sequenceId</c>, which names the same thing).
/// </summary>
public sealed class AddToSequenceHandler(WorkflowEnroller enroller) : IActionHandler
{
    public string Type => ActionTypes.AddToSequence;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return enroller.EnrollAsync(
            context, RecordParams.Text(context.Params, "workflowId") ?? RecordParams.Text(context.Params, "sequenceId"), cancellationToken);
    }
}

/// <summary>
/// Enrolls the run's record in another workflow, as if that workflow's trigger had matched: its status must be active
/// and its module the record's; its enrollment rule holds (a <c>once</c> workflow does not enroll a record twice); its
/// conditions decide between a run and a skipped run, as for any event.
/// <para>The enrollment is an event of its own (<c>event</c> named <c>workflow.enrolled</c>, id = the change id
/// <c>{runId}:{stepId}</c>, carrying the causation with depth + 1), written <b>already applied</b> in one batch with the
/// new run and the once-claim, then queued: the event processor, finding it applied, resumes exactly its run (executes
/// it and indexes it) like after any crash. A repeat finds the event and starts nothing again. A depth past
/// <see cref="RunnerOptions.MaxCausationDepth"/> enrolls nothing (two workflows starting each other stop there), and
/// the step output says why.</para>
/// </summary>
public sealed class WorkflowEnroller(
    AutomationStorage storage,
    WorkflowCatalog catalog,
    RecordWriter writer,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<WorkflowEnroller> logger)
{
    public const string EventName = "workflow.enrolled";

    private const int MaxConflicts = 8;

    public async Task<ActionResult> EnrollAsync(ActionContext context, string? workflowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (workflowId is null)
        {
            return ActionResult.Fail("params.workflowId is required (it rendered empty).", retryable: false);
        }

        var module = context.Run.Module;
        var recordId = context.Run.RecordId;
        var changeId = RecordChanges.ChangeId(context);
        var partition = Keys.RecordPartition(module, recordId);
        var output = new JsonObject { ["workflowId"] = workflowId, ["module"] = module, ["recordId"] = recordId };

        var head = await catalog.HeadAsync(workflowId, cancellationToken);
        if (head is null)
        {
            return ActionResult.Fail($"There is no workflow '{workflowId}'.", retryable: false);
        }

        if (!string.Equals(head.Module, module, StringComparison.OrdinalIgnoreCase))
        {
            return ActionResult.Fail($"Workflow '{workflowId}' is for {head.Module} records; this record is a {module}.", retryable: false);
        }

        var causation = context.NextCausation;
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var (snapshot, enrollment, caused) = await LoadAsync(partition, workflowId, changeId, cancellationToken);
            if (caused is not null)
            {
                await writer.QueueAsync(module, recordId, caused.Event.Id, cancellationToken);
                output["enrolled"] = caused.RunIds.Count > 0;
                output["runId"] = caused.RunIds.Count > 0 ? caused.RunIds[0] : null;
                output["eventId"] = caused.Event.Id;
                output["repeated"] = true;
                return Success(output);
            }

            if (causation.Depth > options.Value.MaxCausationDepth)
            {
                Logs.EnrollmentTooDeep(logger, context.Run.RunId, context.Step.Id, workflowId, causation.Depth, options.Value.MaxCausationDepth);
                output["enrolled"] = false;
                output["reason"] = $"Not enrolled: the causation depth {causation.Depth} is past the limit of {options.Value.MaxCausationDepth} (a loop of workflows starting each other).";
                return Success(output);
            }

            var now = time.GetUtcNow();
            var evt = new CrmEvent
            {
                Id = changeId,
                Type = EventTypes.Custom,
                Module = module,
                RecordId = recordId,
                OccurredAt = now,
                Record = snapshot?.Snapshot.Fields ?? context.Scope.Record,
                Data = RecordWriter.Element(new JsonObject
                {
                    ["name"] = EventName,
                    ["workflowId"] = workflowId,
                    ["byWorkflowId"] = context.Run.WorkflowId,
                    ["byRunId"] = context.Run.RunId,
                    ["byStepId"] = context.Step.Id,
                }),
                Causation = causation,
            };
            var changes = ChangeDeriver.Derive(evt, snapshot?.Snapshot.Fields);
            var scope = EventScope.For(evt, changes, now);
            var conditions = ConditionEvaluator.Evaluate(head.Conditions, scope, "conditions");
            var runId = Keys.RunId(partition, evt.Id, workflowId);
            var enrolledBefore = enrollment is not null && enrollment.RunId != runId;
            var match = TriggerMatch.Yes($"Enrolled by step '{context.Step.Id}' of workflow '{context.Run.WorkflowId}' (run {context.Run.RunId}).");
            var decision = EnrollmentRules.Decide(head, enrolledBefore, match, conditions);
            if (decision.Outcome == EnrollmentOutcome.Ignore)
            {
                if (head.Status != WorkflowStatus.Active)
                {
                    return ActionResult.Fail($"Workflow '{workflowId}' is {head.Status.ToString().ToLowerInvariant()}: a record can only be enrolled in an active workflow.", retryable: false);
                }

                output["enrolled"] = false;
                output["reason"] = decision.Reason;
                return Success(output);
            }

            var run = RunProgress.Start(runId, head, evt, decision, now);
            var row = new RunRow { State = run, Conditions = run.Status == RunStatus.Skipped ? conditions : null };
            var batch = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new EventRow(evt, EventStates.Applied, now, snapshot?.Snapshot.Fields, now, default) { RunIds = [runId] }.ToEntity(partition)),
                new(TableTransactionActionType.Add, row.ToEntity(partition)),
            };
            if (run.Status == RunStatus.Running && head.Enrollment == Enrollment.Once)
            {
                batch.Add(new(TableTransactionActionType.Add, new EnrollmentRow(workflowId, runId).ToEntity(partition, now)));
            }

            try
            {
                await storage.Records.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // This change was made meanwhile, or another event enrolled the record in a once-workflow: look again.
                continue;
            }

            await writer.QueueAsync(module, recordId, evt.Id, cancellationToken);
            Logs.RecordChanged(logger, changeId, module, recordId, evt.Id);
            output["enrolled"] = run.Status == RunStatus.Running;
            output["runId"] = runId;
            output["status"] = RunRow.StatusName(run.Status);
            output["reason"] = decision.Reason;
            output["eventId"] = evt.Id;
            return Success(output);
        }

        return ActionResult.Fail($"{module}/{recordId} kept changing while this step tried to enroll it ({MaxConflicts} attempts).", retryable: true);
    }

    private async Task<(SnapshotRow? Snapshot, EnrollmentRow? Enrollment, EventRow? Caused)> LoadAsync(
        string partition, string workflowId, string changeId, CancellationToken cancellationToken)
    {
        var eventRow = Keys.EventRow(changeId);
        var enrollmentRow = Keys.EnrollmentRow(workflowId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {enrollmentRow}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {eventRow}") + ")";
        SnapshotRow? snapshot = null;
        EnrollmentRow? enrollment = null;
        EventRow? caused = null;
        await foreach (var e in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == Keys.Snapshot)
            {
                snapshot = SnapshotRow.From(e);
            }
            else if (e.RowKey == enrollmentRow)
            {
                enrollment = EnrollmentRow.From(e);
            }
            else
            {
                caused = EventRow.From(e);
            }
        }

        return (snapshot, enrollment, caused);
    }

    private static ActionResult Success(JsonObject output) => ActionResult.Success(RecordChanges.Element(output));
}

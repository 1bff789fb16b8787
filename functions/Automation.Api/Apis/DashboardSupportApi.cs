using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Segments;
using Automation.Engine.Triggers;
using Automation.Api.Http;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Azure.Data.Tables;

namespace Automation.Api.Apis;

/// <summary>
/// Reads the dashboard needs that the core API does not answer: a record's recent events, and for each one which
/// workflows of its module enrolled the record and why the others did not.
/// </summary>
public static class DashboardSupportApi
{
    /// <summary>Event rows read from a record's partition at most: a record with more shows its latest among these.</summary>
    private const int MaxEventRows = 500;

    public static IEndpointRouteBuilder MapDashboardSupportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/records/{module}/{recordId}/events", RecordEvents)
            .WithTags("records")
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }

    /// <summary>
    /// The record's latest events, newest first. A workflow that enrolled the record names its run; for the others the
    /// event is judged again with the engine against the workflow as it is now (its definition then may have differed).
    /// </summary>
    private static async Task<IResult> RecordEvents(
        string module, string recordId, int? limit, AutomationStorage storage, WorkflowStore workflows, WorkflowCatalog catalog,
        RunQueries runs, CancellationToken cancellationToken)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {Keys.EventPrefix} and RowKey lt {Keys.RangeEnd(Keys.EventPrefix)}");
        var rows = new List<EventRow>();
        await foreach (var entity in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(await EventBlobs.FillAsync(storage.Records, EventRow.From(entity), cancellationToken));
            if (rows.Count >= MaxEventRows)
            {
                break;
            }
        }

        if (rows.Count == 0)
        {
            return Problems.NotFound($"No event about {module} '{recordId}' has been received.");
        }

        var take = Math.Clamp(limit ?? 10, 1, 50);
        var latest = rows.OrderByDescending(r => r.ReceivedAt).Take(take).ToArray();
        var recordRuns = await runs.ListForRecordAsync(module, recordId, cancellationToken);
        var candidates = await WorkflowsOfModuleAsync(module, workflows, catalog, cancellationToken);

        var items = latest.Select(row => Explain(row, candidates, recordRuns)).ToArray();
        return TypedResults.Ok(new RecordEventsAnswer(items, rows.Count > take));
    }

    internal static async Task<IReadOnlyList<Workflow>> WorkflowsOfModuleAsync(
        string module, WorkflowStore workflows, WorkflowCatalog catalog, CancellationToken cancellationToken)
    {
        var page = await workflows.ListAsync(new WorkflowFilter { Module = module }, 1000, null, cancellationToken);
        var heads = await Task.WhenAll(page.Items.Select(s => catalog.HeadAsync(s.Id, cancellationToken)));
        return heads.OfType<Workflow>().OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    internal static RecordEventExplanation Explain(EventRow row, IReadOnlyList<Workflow> candidates, IReadOnlyList<RunSummary> recordRuns)
    {
        var evt = row.Event;
        var at = row.AppliedAt ?? row.ReceivedAt;
        var current = evt.Record ?? row.StoredPrevious;
        // Segment triggers read the membership change the processor stored on the row; conditions are not re-judged.
        var changes = ChangeDeriver.Derive(evt, row.StoredPrevious, current) with { Segments = row.Segments ?? SegmentChange.NotEvaluated };
        var scope = EventScope.For(evt, changes, at);

        var judged = candidates.Select(wf =>
        {
            var run = recordRuns.FirstOrDefault(r =>
                string.Equals(r.WorkflowId, wf.Id, StringComparison.Ordinal) && string.Equals(r.TriggerEventId, evt.Id, StringComparison.Ordinal));
            if (run is not null)
            {
                return run.Status == RunStatus.Skipped
                    ? Judge(wf, Outcomes.Skipped, "The trigger matched but the conditions did not hold; the skipped run keeps the trace.", run)
                    : Judge(wf, Outcomes.Enrolled, "The trigger matched and the conditions held: the record enrolled.", run);
            }

            if (!row.Applied)
            {
                return Judge(wf, Outcomes.Pending, "The event has not been processed yet.");
            }

            if (wf.CreatedAt is { } created && created > at)
            {
                return Judge(wf, Outcomes.NotYetCreated, "The workflow was created after this event.");
            }

            var enrolledBefore = wf.Enrollment == Enrollment.Once && recordRuns.Any(r =>
                string.Equals(r.WorkflowId, wf.Id, StringComparison.Ordinal) && r.Status != RunStatus.Skipped && r.CreatedAt < at);
            var result = WorkflowEvaluation.Evaluate(wf with { Status = WorkflowStatus.Active }, evt, changes, scope, enrolledBefore);
            if (!result.Trigger.Matched)
            {
                return Judge(wf, Outcomes.TriggerNotMatched, result.Trigger.Reason);
            }

            if (enrolledBefore)
            {
                return Judge(wf, Outcomes.AlreadyEnrolled, "The trigger matched, but the workflow enrolls a record once and this record had enrolled before.");
            }

            var why = wf.Status != WorkflowStatus.Active
                ? $"The trigger matches, but no run was started: the workflow is {EnumText(wf.Status)} now and was probably not active when the event came."
                : "The trigger matches now, but no run was started: the workflow was probably not active, or its definition differed, when the event came.";
            return Judge(wf, Outcomes.NoRun, why) with { Conditions = result.Conditions };
        }).ToArray();

        return new RecordEventExplanation(
            evt.Id, evt.Type, evt.OccurredAt, row.ReceivedAt, row.AppliedAt, row.State, evt.Causation?.Depth,
            changes.Fields.Keys.Order(StringComparer.Ordinal).ToArray(), judged)
        {
            SegmentsEntered = changes.Segments.Entered,
            SegmentsExited = changes.Segments.Exited,
        };
    }

    private static WorkflowJudgement Judge(Workflow wf, string outcome, string reason, RunSummary? run = null) =>
        new(wf.Id!, wf.Name, wf.Version, wf.Status, outcome, reason, run?.RunId, run?.Status, null);

    private static string EnumText(WorkflowStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>What became of a workflow for one event.</summary>
    public static class Outcomes
    {
        public const string Enrolled = "enrolled";
        public const string Skipped = "skipped";
        public const string TriggerNotMatched = "triggerNotMatched";
        public const string AlreadyEnrolled = "alreadyEnrolled";
        public const string NoRun = "noRun";
        public const string NotYetCreated = "notYetCreated";
        public const string Pending = "pending";
    }

    public sealed record RecordEventsAnswer(IReadOnlyList<RecordEventExplanation> Items, bool More);

    /// <summary>One event about the record: what changed, and each workflow of the module with its outcome.</summary>
    public sealed record RecordEventExplanation(
        string EventId,
        string Type,
        DateTimeOffset OccurredAt,
        DateTimeOffset ReceivedAt,
        DateTimeOffset? AppliedAt,
        string State,
        int? CausationDepth,
        IReadOnlyList<string> ChangedFields,
        IReadOnlyList<WorkflowJudgement> Workflows)
    {
        /// <summary>Ids of the segments the event made the record enter (empty when none, or not decided).</summary>
        public IReadOnlyList<string> SegmentsEntered { get; init; } = [];

        /// <summary>Ids of the segments the event made the record leave.</summary>
        public IReadOnlyList<string> SegmentsExited { get; init; } = [];
    }

    /// <summary>
    /// A workflow's outcome for one event (<see cref="Outcomes"/>) with the reason, the run it started (a skipped run
    /// too), and the conditions' trace when the trigger matches on judging the event again.
    /// </summary>
    public sealed record WorkflowJudgement(
        string WorkflowId,
        string Name,
        int Version,
        WorkflowStatus Status,
        string Outcome,
        string Reason,
        string? RunId,
        RunStatus? RunStatus,
        ConditionTrace? Conditions);
}

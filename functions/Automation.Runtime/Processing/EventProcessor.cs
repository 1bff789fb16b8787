using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Segments;
using Automation.Engine.Templates;
using Automation.Engine.Triggers;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Segments;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Processing;

/// <summary>
/// Processes one queued event:
/// <list type="number">
/// <item>reads the record's partition once: snapshot, the event as intake stored it, enrollments, waiting runs;</item>
/// <item>derives the changes, decides the record's segment membership against the stored one (the segments it
/// entered and left), and judges every active workflow of the module with the engine;</item>
/// <item>writes, in one batch in the record's partition: the new snapshot, the new segment membership, the event marked
/// applied (with what it was derived from), once-enrollment claims and the new runs;</item>
/// <item>starts each new run's orchestration (instance id = run id) and indexes the skipped ones;</item>
/// <item>raises <see cref="RunEvents.RecordChanged"/> to the record's waiting runs that have exit conditions, which
/// check them against the new record at once (invariant 4).</item>
/// </list>
/// Processing an applied event again (the message came back after a crash) decides nothing anew: it starts the
/// orchestrations of the runs the first pass created (the task hub refuses a second instance of a run) and raises
/// the record change again (harmless: a run that does not exit waits on). Every write is conditional (ETag or
/// insert), so two workers on the same record serialize: the loser re-reads and decides again.
/// </summary>
public sealed class EventProcessor(
    AutomationStorage storage,
    WorkflowCatalog catalog,
    SegmentStore segments,
    RunIndex index,
    RunOrchestrations orchestrations,
    DeadLetterStore deadLetters,
    DateTriggers dates,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<EventProcessor> logger) : IQueueProcessor
{
    private const int MaxBatch = 100;
    private const int MaxAttempts = 20;

    public string Queue => "events";

    public async Task ProcessAsync(string payload, long dequeueCount, CancellationToken cancellationToken = default)
    {
        var message = EventMessage.TryParse(payload);
        if (message is null)
        {
            Logs.MessageUnreadable(logger, Queue);
            await deadLetters.AddAsync(Queue, payload, "The message is not an event message ({ module, recordId, eventId }).", dequeueCount, cancellationToken);
            return;
        }

        await DeadLetterOnLastTry.ProcessAsync(
            () => ProcessAsync(message, cancellationToken), Queue, payload, dequeueCount, options.Value, deadLetters, logger, cancellationToken);
    }

    public async Task ProcessAsync(EventMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var partition = Keys.RecordPartition(message.Module, message.RecordId);
        var alreadyCreated = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var slice = await RecordPartition.LoadSliceAsync(storage.Records, partition, message.EventId, cancellationToken);
            var eventRow = slice.Event
                ?? throw new InvalidOperationException($"Event '{message.EventId}' of {message.Module}/{message.RecordId} is not in the store.");
            if (eventRow.Applied)
            {
                await ResumeAsync(slice, eventRow, cancellationToken);
                return;
            }

            var plan = await PlanAsync(slice, eventRow, alreadyCreated, cancellationToken);
            try
            {
                await WriteAsync(plan, cancellationToken);
                await FollowUpAsync(plan, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another worker changed the record meanwhile (412), or an earlier pass created some runs before
                // failing (409, only when the writes needed several batches): read again and decide again.
                Logs.EventRetried(logger, message.EventId, e.Status);

                // Events about one record arriving together take turns: a little random wait spreads the next tries.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * Math.Min(attempt, 8)), time, cancellationToken);
                if (e.Status == 409)
                {
                    var existing = await RecordPartition.LoadRunsAsync(storage.Records, partition, plan.NewRuns.Select(r => r.Row.State.RunId).ToArray(), cancellationToken);
                    alreadyCreated.UnionWith(existing.Select(r => r.State.RunId));
                }
            }
        }
    }

    private async Task<Plan> PlanAsync(RecordSlice slice, EventRow eventRow, HashSet<string> alreadyCreated, CancellationToken cancellationToken)
    {
        var evt = eventRow.Event;
        var now = time.GetUtcNow();
        var storedPrevious = slice.Snapshot?.Snapshot.Fields;
        var current = evt.Record ?? storedPrevious;
        var snapshotAction = SnapshotAction(slice, evt);
        var membership = await MembershipAsync(slice, evt, current, wroteSnapshot: snapshotAction is not null, now, cancellationToken);
        var changes = ChangeDeriver.Derive(evt, storedPrevious, current) with { Segments = membership.Change };
        var scope = EventScope.For(evt, changes, now);
        var plan = new Plan(slice.Partition, evt, changes)
        {
            StoredPrevious = storedPrevious,
            SnapshotAction = snapshotAction,
            MembershipAction = membership.Action,
        };

        var depth = evt.Causation?.Depth ?? 0;
        if (depth > options.Value.MaxCausationDepth)
        {
            plan.TooDeep = true;
            Logs.LoopStopped(logger, evt.Id, depth, options.Value.MaxCausationDepth, evt.Causation?.RunId ?? "");
        }
        else
        {
            foreach (var wf in await catalog.ActiveAsync(evt.Module, cancellationToken))
            {
                var runId = Keys.RunId(slice.Partition, evt.Id, wf.Id!);
                var enrolledBefore = slice.Enrollments.TryGetValue(wf.Id!, out var claim) && claim.RunId != runId;
                var result = WorkflowEvaluation.Evaluate(wf, evt, changes, scope, enrolledBefore);
                if (result.Enrollment.Outcome == EnrollmentOutcome.Ignore)
                {
                    continue;
                }

                var state = RunProgress.Start(runId, wf, evt, result.Enrollment, now);
                var running = state.Status == RunStatus.Running;
                var row = new RunRow { State = state, Conditions = running ? null : result.Conditions };
                var claims = running && wf.Enrollment == Enrollment.Once && !slice.Enrollments.ContainsKey(wf.Id!);
                plan.NewRuns.Add(new NewRun(row, claims, alreadyCreated.Contains(runId)));
            }

            plan.Notify.AddRange(await ExitCandidatesAsync(slice, cancellationToken));
        }

        plan.Actions.AddRange(RunActions(plan, now));
        plan.EventAction = new TableTransactionAction(
            TableTransactionActionType.UpdateReplace,
            (eventRow with
            {
                State = EventStates.Applied,
                StoredPrevious = storedPrevious,
                AppliedAt = now,
                RunIds = [.. plan.NewRuns.Select(r => r.Row.State.RunId)],
                Segments = changes.Segments.Evaluated ? changes.Segments : null,
            }).ToEntity(slice.Partition),
            eventRow.ETag);
        return plan;
    }

    /// <summary>
    /// The record's segments after the event, decided against the stored membership, and the write that stores them
    /// (null when unchanged). Only an event whose state becomes the snapshot moves membership: an older event delivered
    /// late leaves it as it is, so its triggers see no segment change.
    /// </summary>
    private async Task<(SegmentChange Change, TableTransactionAction? Action)> MembershipAsync(
        RecordSlice slice, CrmEvent evt, JsonElement? current, bool wroteSnapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!wroteSnapshot)
        {
            return (SegmentChange.NotEvaluated, null);
        }

        var stored = slice.Segments?.Segments ?? [];
        var deleted = string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal);
        var change = SegmentMembership.Decide(evt.Module, await segments.ListAsync(evt.Module, cancellationToken), deleted ? null : current, stored, now);
        if (change.Members.SequenceEqual(stored, StringComparer.Ordinal))
        {
            return (change, null);
        }

        if (change.Changed)
        {
            Logs.SegmentsChanged(logger, evt.Id, evt.Module, string.Join(", ", change.Entered), string.Join(", ", change.Exited));
        }

        var entity = SegmentMembershipRow.ToEntity(slice.Partition, evt.Module, evt.RecordId, change.Members, now);
        return (change, slice.Segments is { } row
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity));
    }

    /// <summary>Invariant 4: the record's waiting runs whose workflow has exit conditions, to be told of the change.</summary>
    private async Task<List<string>> ExitCandidatesAsync(RecordSlice slice, CancellationToken cancellationToken)
    {
        var runIds = new List<string>();
        foreach (var row in slice.WaitingRuns)
        {
            var version = await catalog.VersionAsync(row.State.WorkflowId, row.State.WorkflowVersion, cancellationToken);
            if (version?.ExitConditions is not null)
            {
                runIds.Add(row.State.RunId);
            }
        }

        return runIds;
    }

    private static IEnumerable<TableTransactionAction> RunActions(Plan plan, DateTimeOffset now)
    {
        foreach (var run in plan.NewRuns.Where(r => !r.Exists))
        {
            yield return new TableTransactionAction(TableTransactionActionType.Add, run.Row.ToEntity(plan.Partition));
            if (run.ClaimsEnrollment)
            {
                yield return new TableTransactionAction(
                    TableTransactionActionType.Add,
                    new EnrollmentRow(run.Row.State.WorkflowId, run.Row.State.RunId).ToEntity(plan.Partition, now));
            }
        }
    }

    /// <summary>The latest state of the record: an older event (delivered late) does not overwrite a newer snapshot.</summary>
    private static TableTransactionAction? SnapshotAction(RecordSlice slice, CrmEvent evt)
    {
        var stored = slice.Snapshot;
        var deleted = string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal);
        if (evt.Record is not { ValueKind: JsonValueKind.Object } fields)
        {
            if (!deleted || stored is null)
            {
                return null;
            }

            fields = stored.Snapshot.Fields;
        }

        if (stored is not null && evt.OccurredAt < stored.Snapshot.UpdatedAt)
        {
            return null;
        }

        var entity = SnapshotRow.ToEntity(slice.Partition, new RecordSnapshot
        {
            Module = evt.Module,
            RecordId = evt.RecordId,
            Fields = fields,
            UpdatedAt = evt.OccurredAt,
            LastEventId = evt.Id,
            Deleted = deleted,
        });
        return stored is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, stored.ETag);
    }

    /// <summary>
    /// One batch when it fits (nearly always); else runs first and the event last, so "applied" is only written once
    /// every run exists.
    /// </summary>
    private async Task WriteAsync(Plan plan, CancellationToken cancellationToken)
    {
        var tail = new List<TableTransactionAction>();
        if (plan.SnapshotAction is { } snap)
        {
            tail.Add(snap);
        }

        if (plan.MembershipAction is { } membership)
        {
            tail.Add(membership);
        }

        tail.Add(plan.EventAction!);
        var chunks = new List<List<TableTransactionAction>>();
        var current = new List<TableTransactionAction>();
        foreach (var action in plan.Actions)
        {
            if (current.Count == MaxBatch)
            {
                chunks.Add(current);
                current = [];
            }

            current.Add(action);
        }

        if (current.Count + tail.Count > MaxBatch)
        {
            chunks.Add(current);
            current = [];
        }

        current.AddRange(tail);
        chunks.Add(current);

        foreach (var chunk in chunks)
        {
            await storage.Records.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    private async Task FollowUpAsync(Plan plan, CancellationToken cancellationToken)
    {
        if (plan.TooDeep && plan.Event.Causation is { } causation)
        {
            await NoteLoopStopAsync(plan.Event, causation, cancellationToken);
        }

        var work = new List<Task>();
        foreach (var run in plan.NewRuns)
        {
            var state = run.Row.State;
            Logs.RunCreated(logger, state.RunId, state.WorkflowId, EnumNames.Camel(state.Status), plan.Event.Id);
            work.Add(state.Status == RunStatus.Running
                ? orchestrations.StartAsync(state.RunId, state.TriggerEventId, cancellationToken: cancellationToken)
                : index.RecordAsync(state, probablyNew: true, cancellationToken));
        }

        work.AddRange(plan.Notify.Select(runId => orchestrations.RecordChangedAsync(runId, plan.Event.Id, cancellationToken)));
        if (plan.SnapshotAction is not null && plan.Changes.Current is { } stored)
        {
            work.Add(dates.RecordStoredAsync(plan.Event, plan.StoredPrevious, stored, cancellationToken));
        }

        await Task.WhenAll(work);
    }

    /// <summary>
    /// The event was applied before (a crash came after): start the orchestrations of exactly the runs that pass
    /// created (a run whose orchestration exists is refused by the hub), index the ended ones, and tell the record's
    /// waiting runs of the change again.
    /// </summary>
    private async Task ResumeAsync(RecordSlice slice, EventRow eventRow, CancellationToken cancellationToken)
    {
        Logs.EventResumed(logger, eventRow.Event.Id, eventRow.RunIds.Count);
        var evt = eventRow.Event;
        var rows = await RecordPartition.LoadRunsAsync(storage.Records, slice.Partition, eventRow.RunIds, cancellationToken);
        var work = rows.Select(row => RunTransitions.IsTerminal(row.State.Status)
            ? index.RecordAsync(row.State, probablyNew: false, cancellationToken)
            : orchestrations.StartAsync(row.State.RunId, row.State.TriggerEventId, cancellationToken: cancellationToken)).ToList();
        var candidates = await ExitCandidatesAsync(slice, cancellationToken);
        work.AddRange(candidates.Select(runId => orchestrations.RecordChangedAsync(runId, evt.Id, cancellationToken)));

        // The first pass may have died before starting the record's date wake-ups; starting one twice is harmless.
        if (evt.Record is { ValueKind: JsonValueKind.Object } record)
        {
            work.Add(dates.RecordStoredAsync(evt, eventRow.StoredPrevious, record, cancellationToken));
        }

        await Task.WhenAll(work);
    }

    /// <summary>Invariant 7: the run whose action caused a too-deep event gets a note saying why the event went nowhere.</summary>
    private async Task NoteLoopStopAsync(CrmEvent evt, Causation causation, CancellationToken cancellationToken)
    {
        if (!Keys.TryParseRunId(causation.RunId, out var partition))
        {
            return;
        }

        var message = $"Event '{evt.Id}' ({evt.Type} on {evt.Module}/{evt.RecordId}), caused by step '{causation.StepId}', was not processed: " +
            $"its causation depth {causation.Depth} is past the limit of {options.Value.MaxCausationDepth} (a loop of workflows changing records).";
        await storage.Records.UpsertEntityAsync(
            new TableEntity(partition, Keys.NoteRow(causation.RunId, evt.Id))
            {
                ["Kind"] = "note",
                ["RunId"] = causation.RunId,
                ["EventId"] = evt.Id,
                ["Message"] = message,
                ["At"] = time.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private sealed record NewRun(RunRow Row, bool ClaimsEnrollment, bool Exists);

    private sealed class Plan(string partition, CrmEvent evt, ChangeSet changes)
    {
        public string Partition { get; } = partition;

        public CrmEvent Event { get; } = evt;

        public ChangeSet Changes { get; } = changes;

        /// <summary>The snapshot the event was applied over: what date triggers compare the new dates with.</summary>
        public JsonElement? StoredPrevious { get; init; }

        public bool TooDeep { get; set; }

        public List<NewRun> NewRuns { get; } = [];

        /// <summary>Waiting runs of the record to tell of the change (their exit conditions).</summary>
        public List<string> Notify { get; } = [];

        public List<TableTransactionAction> Actions { get; } = [];

        public TableTransactionAction? EventAction { get; set; }

        public TableTransactionAction? SnapshotAction { get; init; }

        /// <summary>The record's new segment membership; null when it did not change.</summary>
        public TableTransactionAction? MembershipAction { get; init; }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Runtime.Polling;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Crm;

/// <summary>
/// A record as a record action finds it, read in one query of its partition: the snapshot (with its ETag) and, when
/// this change was applied before, the event it caused (<see cref="Caused"/>).
/// </summary>
public sealed record RecordState(string Module, string RecordId, string Partition, SnapshotRow? Snapshot, EventRow? Caused)
{
    public bool Deleted => Snapshot?.Snapshot.Deleted == true;

    /// <summary>A copy of the stored fields to change (empty when the record was never seen).</summary>
    public JsonObject Fields() =>
        Snapshot is { } s && JsonNode.Parse(s.Snapshot.Fields.GetRawText()) is JsonObject fields ? fields : [];
}

/// <summary>
/// Writes what record actions change, as a runtime-originated variant of intake: the record's new snapshot and the
/// event the change causes go into the record's partition in <b>one batch</b> (the snapshot with the ETag it was read
/// with, the event inserted <c>pending</c> under the change's id), then the event is queued for the event processor,
/// which treats it like any event from the CRM (triggers, exit conditions, loop protection by its causation).
/// <para>Idempotent: the event id is the change id, so a repeated attempt finds the event and applies nothing twice;
/// a crash between the batch and the queue leaves a <c>pending</c> event that the repeat queues again.</para>
/// <para>The event's <c>occurredAt</c> is the snapshot's new <c>updatedAt</c>, strictly later than the one it replaces, so
/// the processor (which keeps the latest snapshot by <c>occurredAt</c>) never rolls a later change back with it.</para>
/// </summary>
public sealed class RecordWriter(AutomationStorage storage, QueueSignals signals, TimeProvider time)
{
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task<RecordState> LoadAsync(string module, string recordId, string changeId, CancellationToken cancellationToken)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var eventRow = Keys.EventRow(changeId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {eventRow}") + ")";
        SnapshotRow? snapshot = null;
        EventRow? caused = null;
        await foreach (var e in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == Keys.Snapshot)
            {
                snapshot = SnapshotRow.From(e);
            }
            else
            {
                caused = EventRow.From(e);
            }
        }

        return new RecordState(module, recordId, partition, snapshot, caused);
    }

    /// <summary>
    /// Replaces the record's fields with <paramref name="after"/> and records <c>record.updated</c> (with
    /// <paramref name="before"/> as <c>previous</c>) in one batch. Null when the record changed meanwhile (412) or the
    /// change id is taken (409): load again and decide again.
    /// </summary>
    public async Task<CrmEvent?> TryUpdateAsync(
        RecordState state, string changeId, JsonObject before, JsonObject after, Causation causation, JsonObject data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = time.GetUtcNow();
        var at = Later(now, state.Snapshot?.Snapshot.UpdatedAt);
        var evt = new CrmEvent
        {
            Id = changeId,
            Type = EventTypes.RecordUpdated,
            Module = state.Module,
            RecordId = state.RecordId,
            OccurredAt = at,
            Record = Element(after),
            Previous = Element(before),
            Data = Element(data),
            Causation = causation,
        };
        var snapshot = SnapshotRow.ToEntity(state.Partition, new RecordSnapshot
        {
            Module = state.Module,
            RecordId = state.RecordId,
            Fields = evt.Record.Value,
            UpdatedAt = at,
            LastEventId = changeId,
        });
        TableTransactionAction[] batch =
        [
            state.Snapshot is { } stored
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, snapshot, stored.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, snapshot),
            new TableTransactionAction(TableTransactionActionType.Add, new EventRow(evt, EventStates.Pending, now, null, null, default).ToEntity(state.Partition)),
        ];
        return await SubmitAsync(batch, cancellationToken) ? evt : null;
    }

    /// <summary>
    /// A new record (a task, a case, ...) with its first snapshot and its <c>record.created</c> event, in one batch in
    /// its own partition. Null when it exists already (a repeat of this change).
    /// </summary>
    public async Task<CrmEvent?> TryCreateAsync(
        string module, string recordId, string changeId, JsonObject fields, Causation causation, JsonObject data, CancellationToken cancellationToken)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var now = time.GetUtcNow();
        var evt = new CrmEvent
        {
            Id = changeId,
            Type = EventTypes.RecordCreated,
            Module = module,
            RecordId = recordId,
            OccurredAt = now,
            Record = Element(fields),
            Data = Element(data),
            Causation = causation,
        };
        TableTransactionAction[] batch =
        [
            new(TableTransactionActionType.Add, SnapshotRow.ToEntity(partition, new RecordSnapshot
            {
                Module = module,
                RecordId = recordId,
                Fields = evt.Record.Value,
                UpdatedAt = now,
                LastEventId = changeId,
            })),
            new(TableTransactionActionType.Add, new EventRow(evt, EventStates.Pending, now, null, null, default).ToEntity(partition)),
        ];
        return await SubmitAsync(batch, cancellationToken) ? evt : null;
    }

    /// <summary>
    /// An event about the record that changes no field (a document attached), inserted with extra rows of the same
    /// partition (the document's row) in one batch. Null when the change id is taken (a repeat).
    /// </summary>
    public async Task<CrmEvent?> TryRecordAsync(RecordState state, CrmEvent evt, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(evt);
        List<TableTransactionAction> batch =
        [
            .. rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)),
            new(TableTransactionActionType.Add, new EventRow(evt, EventStates.Pending, time.GetUtcNow(), null, null, default).ToEntity(state.Partition)),
        ];
        return await SubmitAsync(batch, cancellationToken) ? evt : null;
    }

    /// <summary>Hands a caused event to the event processor.</summary>
    public async Task QueueAsync(string module, string recordId, string eventId, CancellationToken cancellationToken)
    {
        await storage.Events.SendMessageAsync(new EventMessage(module, recordId, eventId).ToJson(), TimeSpan.Zero, NeverExpires, cancellationToken);
        signals.Events.Notify();
    }

    /// <summary>A repeat found the event its change caused: queue it again unless the processor has applied it (the first attempt may have died before queueing).</summary>
    public Task RequeueIfPendingAsync(EventRow caused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caused);
        return caused.Applied
            ? Task.CompletedTask
            : QueueAsync(caused.Event.Module, caused.Event.RecordId, caused.Event.Id, cancellationToken);
    }

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, EngineJson.Options);

    /// <summary>Now, or just after the stored snapshot's time when that is not earlier (clock skew, a CRM time in the future).</summary>
    private static DateTimeOffset Later(DateTimeOffset now, DateTimeOffset? stored) =>
        stored is { } s && s >= now ? s.AddMilliseconds(1) : now;

    private async Task<bool> SubmitAsync(IReadOnlyList<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Records.SubmitTransactionAsync(batch, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Records;

/// <summary>What the event processor reads of a record's partition, in one query.</summary>
public sealed record RecordSlice(
    string Partition,
    SnapshotRow? Snapshot,
    EventRow? Event,
    IReadOnlyDictionary<string, EnrollmentRow> Enrollments,
    IReadOnlyList<RunRow> WaitingRuns)
{
    /// <summary>The segments the record is in as stored; null before its first membership was written.</summary>
    public SegmentMembershipRow? Segments { get; init; }
}

/// <summary>Reads of a record partition. Each method is one query (one transaction unless the answer spans pages).</summary>
public static class RecordPartition
{
    /// <summary>
    /// The snapshot, the segment membership, the event, every enrollment, and the waiting runs (whose exit conditions
    /// the event may make true).
    /// </summary>
    public static async Task<RecordSlice> LoadSliceAsync(TableClient table, string partition, string eventId, CancellationToken cancellationToken)
    {
        var eventRow = Keys.EventRow(eventId);
        var filter =
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.Segments}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {eventRow}") + " or (" +
            TableClient.CreateQueryFilter($"RowKey ge {Keys.EnrollmentPrefix} and RowKey lt {Keys.RangeEnd(Keys.EnrollmentPrefix)}") + ") or (" +
            TableClient.CreateQueryFilter($"RowKey ge {Keys.RunPrefix} and RowKey lt {Keys.RangeEnd(Keys.RunPrefix)} and Status eq {"waiting"}") + "))";
        SnapshotRow? snapshot = null;
        SegmentMembershipRow? segments = null;
        EventRow? evt = null;
        var enrollments = new Dictionary<string, EnrollmentRow>(StringComparer.Ordinal);
        var waiting = new List<RunRow>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == Keys.Snapshot)
            {
                snapshot = SnapshotRow.From(e);
            }
            else if (e.RowKey == Keys.Segments)
            {
                segments = SegmentMembershipRow.From(e);
            }
            else if (e.RowKey == eventRow)
            {
                evt = EventRow.From(e);
            }
            else if (e.RowKey.StartsWith(Keys.EnrollmentPrefix, StringComparison.Ordinal))
            {
                var enrollment = EnrollmentRow.From(e);
                enrollments[enrollment.WorkflowId] = enrollment;
            }
            else if (e.RowKey.StartsWith(Keys.RunPrefix, StringComparison.Ordinal))
            {
                waiting.Add(RunRow.From(e));
            }
        }

        evt = evt is null ? null : await EventBlobs.FillAsync(table, evt, cancellationToken);
        return new RecordSlice(partition, snapshot, evt, enrollments, waiting) { Segments = segments };
    }

    /// <summary>A run with what it runs on: the record's snapshot and its trigger event (when <paramref name="eventId"/> is known).</summary>
    public static async Task<(RunRow? Run, SnapshotRow? Snapshot, EventRow? Event)> LoadRunAsync(
        TableClient table, string partition, string runId, string? eventId, CancellationToken cancellationToken)
    {
        var runRow = Keys.RunRow(runId);
        var eventRow = eventId is null ? null : Keys.EventRow(eventId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
            TableClient.CreateQueryFilter($"RowKey eq {runRow}") + " or " +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot}") +
            (eventRow is null ? "" : " or " + TableClient.CreateQueryFilter($"RowKey eq {eventRow}")) + ")";
        RunRow? run = null;
        SnapshotRow? snapshot = null;
        EventRow? evt = null;
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == runRow)
            {
                run = RunRow.From(e);
            }
            else if (e.RowKey == Keys.Snapshot)
            {
                snapshot = SnapshotRow.From(e);
            }
            else if (e.RowKey == eventRow)
            {
                evt = EventRow.From(e);
            }
        }

        if (run is not null && evt is null && eventId != run.State.TriggerEventId)
        {
            var read = await table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.EventRow(run.State.TriggerEventId), cancellationToken: cancellationToken);
            evt = read.HasValue ? EventRow.From(read.Value!) : null;
        }

        if (evt is not null)
        {
            evt = await EventBlobs.FillAsync(table, evt, cancellationToken);
        }

        return (run, snapshot, evt);
    }

    /// <summary>Several runs of one record, by id.</summary>
    public static async Task<IReadOnlyList<RunRow>> LoadRunsAsync(TableClient table, string partition, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return [];
        }

        var rows = new List<RunRow>();
        foreach (var chunk in runIds.Chunk(50))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
                string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {Keys.RunRow(id)}"))) + ")";
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(RunRow.From(e));
            }
        }

        return rows;
    }

    /// <summary>Trigger events of several runs of one record, by event id.</summary>
    public static async Task<IReadOnlyDictionary<string, EventRow>> LoadEventsAsync(
        TableClient table, string partition, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, EventRow>(StringComparer.Ordinal);
        foreach (var chunk in eventIds.Distinct(StringComparer.Ordinal).Chunk(50))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
                string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {Keys.EventRow(id)}"))) + ")";
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var row = await EventBlobs.FillAsync(table, EventRow.From(e), cancellationToken);
                events[row.Event.Id] = row;
            }
        }

        return events;
    }
}

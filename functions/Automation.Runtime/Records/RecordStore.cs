using Automation.Engine.Model;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Records;

/// <summary>The latest snapshot of each record seen (one point read). Its runs: <see cref="Runs.RunQueries.ListForRecordAsync"/>.</summary>
public sealed class RecordStore(AutomationStorage storage)
{
    public async Task<RecordSnapshot?> GetAsync(string module, string recordId, CancellationToken cancellationToken = default)
    {
        var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(
            Keys.RecordPartition(module, recordId), Keys.Snapshot, cancellationToken: cancellationToken);
        return read.HasValue ? SnapshotRow.From(read.Value!).Snapshot : null;
    }

    /// <summary>The ids of the segments the record is in (one point read); empty when none was ever recorded.</summary>
    public async Task<IReadOnlyList<string>> GetSegmentsAsync(string module, string recordId, CancellationToken cancellationToken = default)
    {
        var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(
            Keys.RecordPartition(module, recordId), Keys.Segments, cancellationToken: cancellationToken);
        return read.HasValue ? SegmentMembershipRow.From(read.Value!).Segments : [];
    }

    /// <summary>An event as stored in its record's partition (one point read), or null if the id was never recorded.</summary>
    public async Task<EventRow?> GetEventAsync(string module, string recordId, string eventId, CancellationToken cancellationToken = default)
    {
        var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(
            Keys.RecordPartition(module, recordId), Keys.EventRow(eventId), cancellationToken: cancellationToken);
        return read.HasValue ? EventRow.From(read.Value!) : null;
    }
}

using System.Text.Json;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Scheduling;

/// <summary>A stored record as the scheduler sees it: its id and latest fields, and when they were stored.</summary>
public sealed record ModuleRecord(string RecordId, JsonElement Fields)
{
    /// <summary>The snapshot's time: an event carrying these fields must not be newer than them (it would roll a newer state back).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// The records of a module, a page at a time: a query over the Records table for snapshot rows of the module that are
/// not deleted, filtered on the server and paged with the table's continuation token, so a module of 100,000 records
/// is never loaded at once and a scan interrupted by a crash goes on from the token it saved. No index is kept for
/// it (docs/storage.md says why): the hot path pays nothing, and the scan is paid only when a schedule over records
/// fires, a date trigger is back-filled or a segment is re-evaluated.
/// </summary>
public sealed class ModuleRecords(AutomationStorage storage)
{
    public async Task<(IReadOnlyList<ModuleRecord> Records, string? Next)> PageAsync(
        string module, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(module);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {Keys.Snapshot} and ModuleKey eq {module.ToLowerInvariant()} and Deleted eq {false}");
        var (rows, next) = await TablePages.ReadAsync(
            storage.Records, filter, Math.Clamp(pageSize, 1, 1000), continuationToken, null, cancellationToken);
        return (rows.Select(r => SnapshotRow.From(r).Snapshot).Select(s => new ModuleRecord(s.RecordId, s.Fields) { UpdatedAt = s.UpdatedAt }).ToArray(), next);
    }
}

using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Segments;

/// <summary>A record in a segment, as its membership row names it.</summary>
public sealed record SegmentMember(string Module, string RecordId);

/// <summary>A page of a segment's members, and where the next one starts.</summary>
public sealed record SegmentMembersPage(IReadOnlyList<SegmentMember> Items, string? ContinuationToken);

/// <summary>
/// The records in a segment: the membership rows whose column for the segment is set, read a page at a time with the
/// table's continuation token. No index is kept (as for schedules over records): the query is filtered on the server
/// across record partitions, paid only when someone lists a segment, never on the hot path.
/// </summary>
public sealed class SegmentMembers(AutomationStorage storage)
{
    public async Task<SegmentMembersPage> PageAsync(string segmentId, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segmentId);
        await storage.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Keys.Segments}") + $" and {Keys.SegmentColumn(segmentId)} eq true";
        var (rows, next) = await TablePages.ReadAsync(
            storage.Records, filter, Math.Clamp(limit, 1, 500), continuationToken, ["Module", "RecordId"], cancellationToken);
        return new SegmentMembersPage(rows.Select(r => new SegmentMember(r.GetString("Module") ?? "", r.GetString("RecordId") ?? "")).ToArray(), next);
    }
}

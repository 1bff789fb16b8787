using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Records;

/// <summary>
/// The segments a record is in, kept in its partition beside the snapshot and written in the same batch, so that
/// entering and leaving are decided against what was stored, once per change, whatever workflows name the segment.
/// Besides the list, one column per segment (<see cref="Keys.SegmentColumn"/>) makes a segment's members one query; a
/// replace drops the columns of the segments left.
/// </summary>
public sealed record SegmentMembershipRow(IReadOnlyList<string> Segments, DateTimeOffset UpdatedAt, ETag ETag)
{
    public static SegmentMembershipRow From(TableEntity e) => new(
        JsonColumns.Read<string[]>(e, "Segments") ?? [],
        e.GetDateTimeOffset("UpdatedAt") ?? default,
        e.ETag);

    public static TableEntity ToEntity(string partition, string module, string recordId, IReadOnlyList<string> segments, DateTimeOffset at)
    {
        var e = new TableEntity(partition, Keys.Segments)
        {
            ["Kind"] = "segments",
            ["Module"] = module,
            ["RecordId"] = recordId,
            ["UpdatedAt"] = at,
        };
        JsonColumns.Write(e, "Segments", segments);
        foreach (var id in segments)
        {
            e[Keys.SegmentColumn(id)] = true;
        }

        return e;
    }
}

using System.Globalization;
using Automation.Engine.Model;
using Azure.Data.Tables;

namespace Automation.Runtime.Events;

/// <summary>One event as intake saw it: when it came and whether its id had been seen before.</summary>
public sealed record EventFeedEntry(
    string EventId,
    string Type,
    string Module,
    string RecordId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset OccurredAt,
    bool Duplicate)
{
    /// <summary>The row key: newest first across the day's shards, then unique within the request.</summary>
    internal string RowKey { get; init; } = "";

    internal static EventFeedEntry From(TableEntity e) => new(
        e.GetString("EventId") ?? "",
        e.GetString("Type") ?? "",
        e.GetString("Module") ?? "",
        e.GetString("RecordId") ?? "",
        e.GetDateTimeOffset("ReceivedAt") ?? default,
        e.GetDateTimeOffset("OccurredAt") ?? default,
        e.GetBoolean("Duplicate") ?? false)
    {
        RowKey = e.RowKey,
    };

    internal static TableEntity ToEntity(string partition, string rowKey, CrmEvent evt, DateTimeOffset receivedAt, bool duplicate) => new(partition, rowKey)
    {
        ["EventId"] = evt.Id,
        ["Type"] = evt.Type,
        ["Module"] = evt.Module,

        // Modules compare case-insensitively (as record partitions do); the feed's module filter reads this column.
        ["ModuleKey"] = evt.Module.ToLowerInvariant(),
        ["RecordId"] = evt.RecordId,
        ["ReceivedAt"] = receivedAt,
        ["OccurredAt"] = evt.OccurredAt == default ? receivedAt : evt.OccurredAt,
        ["Duplicate"] = duplicate,
    };

    /// <summary>The day partition of <paramref name="at"/> and one of its shards: <c>20261205-2</c>.</summary>
    internal static string Partition(DateTimeOffset at, int shard) =>
        at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + shard.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What the feed may be filtered on by the table itself (each an equality on a column of the index row).</summary>
public sealed record EventFeedFilter(string? Module = null, string? RecordId = null, string? Type = null, bool? Duplicate = null);

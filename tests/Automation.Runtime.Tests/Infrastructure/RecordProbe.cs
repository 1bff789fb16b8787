using System.Text.Json;
using Automation.Engine.Model;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Tests.Infrastructure;

/// <summary>Reads what record actions wrote: snapshots and the events rows of a record's partition.</summary>
public static class RecordProbe
{
    public static Task<RecordSnapshot?> SnapshotAsync(this RuntimeHost host, string module, string recordId) =>
        host.Get<RecordStore>().GetAsync(module, recordId);

    /// <summary>Waits until the record's snapshot satisfies <paramref name="holds"/> and returns it.</summary>
    public static async Task<RecordSnapshot> WaitForSnapshotAsync(this RuntimeHost host, string module, string recordId, Func<RecordSnapshot, bool> holds)
    {
        RecordSnapshot? last = null;
        await Eventually.HoldsAsync(
            async () => (last = await host.SnapshotAsync(module, recordId)) is { } s && holds(s),
            describe: () => last is null ? "no snapshot" : "last: " + last.Fields.GetRawText());
        return last!;
    }

    /// <summary>Every event row of the record (as intake or an action stored it), in key order.</summary>
    public static async Task<IReadOnlyList<EventRow>> EventsAsync(this RuntimeHost host, string module, string recordId)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {Keys.EventPrefix} and RowKey lt {Keys.RangeEnd(Keys.EventPrefix)}");
        var rows = new List<EventRow>();
        await foreach (var e in host.Get<AutomationStorage>().Records.QueryAsync<TableEntity>(filter))
        {
            rows.Add(EventRow.From(e));
        }

        return rows;
    }

    public static async Task<EventRow?> EventAsync(this RuntimeHost host, string module, string recordId, string eventId) =>
        (await host.EventsAsync(module, recordId)).FirstOrDefault(r => r.Event.Id == eventId);

    public static string? Text(this RecordSnapshot snapshot, string field) =>
        snapshot.Fields.TryGetProperty(field, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;

    public static string? Text(this JsonElement? element, string path)
    {
        if (element is not { } current)
        {
            return null;
        }

        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Null => null,
            _ => current.GetRawText(),
        };
    }
}

using System.Text.Json;
using Automation.Engine.Model;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Records;

/// <summary>
/// Lists stored records (their snapshot rows), optionally of one module and matching a text. There is no index of
/// records: the module filter runs on the table (<c>ModuleKey</c>, the column the scheduler's scan uses), the text is
/// matched here, page by page, against the record id and every text or number field (docs/storage.md says the cost).
/// A page may therefore hold fewer matches than asked, with a token to go on.
/// </summary>
public sealed class RecordSearch(AutomationStorage storage)
{
    /// <summary>Table pages read at most per call before answering with what was found.</summary>
    private const int MaxReads = 5;

    public async Task<(IReadOnlyList<RecordSnapshot> Items, string? Next)> PageAsync(
        string? module, string? text, int limit, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = module is { Length: > 0 }
            ? TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot} and ModuleKey eq {module.ToLowerInvariant()} and Deleted eq {false}")
            : TableClient.CreateQueryFilter($"RowKey eq {Keys.Snapshot} and Deleted eq {false}");
        var needle = text?.Trim() ?? "";
        var items = new List<RecordSnapshot>();
        var token = continuationToken;
        for (var reads = 0; reads < MaxReads && items.Count < limit; reads++)
        {
            // Ask for no more rows than matches still wanted, so a page never holds matches we would have to drop.
            var (rows, next) = await TablePages.ReadAsync(storage.Records, filter, limit - items.Count, token, null, cancellationToken);
            items.AddRange(rows.Select(r => SnapshotRow.From(r).Snapshot).Where(s => needle.Length == 0 || Matches(s, needle)));
            token = next;
            if (token is null)
            {
                break;
            }
        }

        return (items, token);
    }

    /// <summary>The record id, or any text or number field at any depth, contains the text (case-insensitive).</summary>
    public static bool Matches(RecordSnapshot record, string text) =>
        record.RecordId.Contains(text, StringComparison.OrdinalIgnoreCase) || Contains(record.Fields, text);

    private static bool Contains(JsonElement value, string text) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Contains(text, StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Number => value.GetRawText().Contains(text, StringComparison.Ordinal),
        JsonValueKind.Object => value.EnumerateObject().Any(p => Contains(p.Value, text)),
        JsonValueKind.Array => value.EnumerateArray().Any(v => Contains(v, text)),
        _ => false,
    };
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Automation.Runtime.Records;

/// <summary>
/// Events larger than <see cref="InlineLimit"/> (up to intake's 900 KB) are kept whole in a blob of
/// <c>{prefix}-events</c>, and their <c>evt|</c> row holds the event without its record, previous and data plus the
/// blob's name. The row stays small, so the processor's batch (which also writes the record's snapshot, up to the
/// same size) fits what a batch and an entity may hold: an event answered 202 is stored and processed, never refused
/// by storage afterwards. Every reader of event rows (<see cref="RecordPartition"/>) fills the event back from its blob.
/// </summary>
public static class EventBlobs
{
    /// <summary>Events whose JSON is larger than this go to a blob.</summary>
    public const int InlineLimit = 64 * 1024;

    // The records table's blob container, by table URI: RecordPartition's readers are handed only the table.
    private static readonly ConcurrentDictionary<string, BlobContainerClient> Containers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Task> Created = new(StringComparer.Ordinal);

    /// <summary>Tells the readers of <paramref name="records"/> where its large events are.</summary>
    public static void UseEventBlobs(this TableClient records, BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(records);
        Containers[records.Uri.AbsoluteUri] = container;
    }

    public static bool IsLarge(byte[] json) => json.Length > InlineLimit;

    /// <summary>The blob's name: the record's partition and a hash of the id (any id, any length, a valid name).</summary>
    public static string BlobName(string partition, string eventId) =>
        $"{partition}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)))}.json";

    /// <summary>What the row keeps of a large event: everything but its record, previous and data.</summary>
    public static CrmEvent Stub(CrmEvent evt) => evt with { Record = null, Previous = null, Data = null };

    /// <summary>Stores the whole event (idempotent: the same id writes the same blob) and returns the blob's name.</summary>
    public static async Task<string> StoreAsync(TableClient records, string partition, CrmEvent evt, byte[] json, CancellationToken cancellationToken)
    {
        var container = Container(records);
        var name = BlobName(partition, evt.Id);
        await Created.GetOrAdd(container.Uri.AbsoluteUri, _ => container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None)).WaitAsync(cancellationToken);
        await container.GetBlobClient(name).UploadAsync(new BinaryData(json), overwrite: true, cancellationToken);
        return name;
    }

    /// <summary>The row with its whole event when the row keeps only a stub; the row as it is otherwise.</summary>
    public static async Task<EventRow> FillAsync(TableClient records, EventRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.BlobName is null)
        {
            return row;
        }

        try
        {
            var content = await Container(records).GetBlobClient(row.BlobName).DownloadContentAsync(cancellationToken);
            var evt = JsonSerializer.Deserialize<CrmEvent>(content.Value.Content.ToMemory().Span, EngineJson.Options)
                ?? throw new InvalidOperationException($"Event blob '{row.BlobName}' is empty.");
            return row with { Event = evt };
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Intake writes the blob before the row, so a row without its blob means storage lost it: say which.
            throw new InvalidOperationException($"Event '{row.Event.Id}' is stored in blob '{row.BlobName}', which does not exist.", e);
        }
    }

    private static BlobContainerClient Container(TableClient records) =>
        Containers.TryGetValue(records.Uri.AbsoluteUri, out var container)
            ? container
            : throw new InvalidOperationException($"No event blob container is registered for table '{records.Name}'.");
}

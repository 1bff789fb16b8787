using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.DeadLetters;

/// <summary>A queue message that could not be processed, kept with why and its payload (never silently dropped).</summary>
public sealed record DeadLetter(string Id, string Queue, string Reason, string Payload, long DequeueCount, DateTimeOffset At);

/// <summary>
/// Dead letters, newest first, in one partition: they are rare (a bug or bad data), and the list is one range read.
/// </summary>
public sealed class DeadLetterStore(AutomationStorage storage, TimeProvider time)
{
    private const string Partition = "dead";
    private const int MaxPayloadChars = 30_000;

    public async Task<DeadLetter> AddAsync(string queue, string payload, string reason, long dequeueCount, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var id = Keys.InvertedTicks(at) + "-" + Keys.NewToken()[..6];
        var letter = new DeadLetter(id, queue, Records.StepLogRows.Truncate(reason, 4000)!, Records.StepLogRows.Truncate(payload, MaxPayloadChars)!, dequeueCount, at);
        await storage.DeadLetters.AddEntityAsync(
            new TableEntity(Partition, id)
            {
                ["Queue"] = letter.Queue,
                ["Reason"] = letter.Reason,
                ["Payload"] = letter.Payload,
                ["DequeueCount"] = letter.DequeueCount,
                ["At"] = letter.At,
            },
            cancellationToken);
        return letter;
    }

    public async Task<Page<DeadLetter>> ListAsync(int limit = 50, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, 1000);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        var (rows, next) = await TablePages.ReadAsync(storage.DeadLetters, filter, limit, continuationToken, null, cancellationToken);
        return new Page<DeadLetter>(
            rows.Select(r => new DeadLetter(
                r.RowKey,
                r.GetString("Queue") ?? "",
                r.GetString("Reason") ?? "",
                r.GetString("Payload") ?? "",
                r.GetInt64("DequeueCount") ?? 0,
                r.GetDateTimeOffset("At") ?? default)).ToArray(),
            next);
    }
}

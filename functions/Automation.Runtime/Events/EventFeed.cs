using System.Globalization;
using Automation.Engine.Model;
using Automation.Runtime.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Events;

/// <summary>
/// The events feed's index: every event intake answers for (accepted or duplicate), newest first across records.
/// Events themselves live in their record's partition (<c>evt|{id}</c>), which cannot be read newest-first across
/// records; this table can. Rows are partitioned by UTC day and one of <see cref="EventFeedOptions.FeedShards"/>
/// shards, keyed by inverted ticks, so there is no hot row and a busy day's writes spread over the shards. One intake
/// request writes its rows to one shard in one batch: one transaction per request, whatever its number of events.
/// </summary>
public sealed class EventFeed(AutomationStorage storage, IOptions<EventFeedOptions> options, TimeProvider time)
{
    /// <summary>A batch holds at most 100 rows.</summary>
    private const int MaxBatch = 100;

    private EventFeedOptions Options => options.Value;

    /// <summary>Adds the events of one intake request, each with whether it was a duplicate.</summary>
    public async Task RecordAsync(IReadOnlyList<(CrmEvent Event, bool Duplicate)> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var partition = EventFeedEntry.Partition(receivedAt, Random.Shared.Next(Math.Max(1, Options.FeedShards)));
        var stamp = Keys.InvertedTicks(receivedAt) + "-" + Keys.NewToken();
        var rows = events.Select((e, i) => EventFeedEntry.ToEntity(
            partition, stamp + i.ToString("D3", CultureInfo.InvariantCulture), e.Event, receivedAt, e.Duplicate)).ToArray();
        foreach (var chunk in rows.Chunk(MaxBatch))
        {
            await storage.EventFeed.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries, newest first, from where <paramref name="continuationToken"/> left off.
    /// Walks back day by day (each day's shards read at once and merged), at most
    /// <see cref="EventFeedOptions.FeedDaysPerPage"/> days per call, so a page can be short and still carry a token.
    /// Throws <see cref="FormatException"/> for a token this method did not give.
    /// </summary>
    public async Task<(IReadOnlyList<EventFeedEntry> Items, string? Next)> PageAsync(
        EventFeedFilter filter, int limit, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var now = time.GetUtcNow();
        var horizon = now.UtcDateTime.Date.AddDays(-Math.Max(0, Options.FeedDays));
        var after = continuationToken;
        var day = after is null ? now.UtcDateTime.Date : TokenTime(after).UtcDateTime.Date;
        var items = new List<EventFeedEntry>();

        for (var walked = 0; walked < Math.Max(1, Options.FeedDaysPerPage); walked++)
        {
            if (day < horizon)
            {
                return (items, null);
            }

            var want = limit - items.Count;
            var reads = Enumerable.Range(0, Math.Max(1, Options.FeedShards))
                .Select(shard => ReadShardAsync(EventFeedEntry.Partition(new DateTimeOffset(day, TimeSpan.Zero), shard), after, filter, want, cancellationToken));
            var merged = (await Task.WhenAll(reads)).SelectMany(r => r).OrderBy(e => e.RowKey, StringComparer.Ordinal).Take(want).ToArray();
            items.AddRange(merged);
            if (items.Count >= limit)
            {
                return (items, items[^1].RowKey);
            }

            // Nothing more on this day: go on from just before its first instant (keys of earlier days are greater).
            after = Keys.InvertedTicks(new DateTimeOffset(day, TimeSpan.Zero).AddTicks(-1));
            day = day.AddDays(-1);
        }

        return (items, day < horizon ? null : after);
    }

    private async Task<IReadOnlyList<EventFeedEntry>> ReadShardAsync(
        string partition, string? after, EventFeedFilter filter, int want, CancellationToken cancellationToken)
    {
        var clauses = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (after is not null)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        if (filter.Module is { Length: > 0 } module)
        {
            clauses.Add(TableClient.CreateQueryFilter($"ModuleKey eq {module.ToLowerInvariant()}"));
        }

        if (filter.RecordId is { Length: > 0 } recordId)
        {
            clauses.Add(TableClient.CreateQueryFilter($"RecordId eq {recordId}"));
        }

        if (filter.Type is { Length: > 0 } type)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Type eq {type}"));
        }

        if (filter.Duplicate is { } duplicate)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Duplicate eq {duplicate}"));
        }

        // Rows come in key order, newest first; the SDK follows the table's continuation until we have enough.
        var rows = new List<EventFeedEntry>();
        await foreach (var e in storage.EventFeed.QueryAsync<TableEntity>(string.Join(" and ", clauses), Math.Min(want, 1000), cancellationToken: cancellationToken))
        {
            rows.Add(EventFeedEntry.From(e));
            if (rows.Count >= want)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>The instant a token (a row key, or a day boundary) stands for: its first 19 digits are inverted ticks.</summary>
    private static DateTimeOffset TokenTime(string token)
    {
        if (token.Length < 19 || !long.TryParse(token.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var inverted)
            || inverted < 0 || inverted > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException("The continuation token is not one this list gave.");
        }

        return new DateTimeOffset(DateTimeOffset.MaxValue.UtcTicks - inverted, TimeSpan.Zero);
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication.Email;

public enum EmailMetric
{
    Sent,
    Opened,
    Clicked,
    Unsubscribed,
}

/// <summary>Counts of one step, or of a whole workflow. Opens, clicks and unsubscribes count each message once.</summary>
public sealed record EmailCounts(long Sent, long Opened, long Clicked, long Unsubscribed)
{
    public static readonly EmailCounts Zero = new(0, 0, 0, 0);

    public EmailCounts Plus(EmailCounts other) => new(Sent + other.Sent, Opened + other.Opened, Clicked + other.Clicked, Unsubscribed + other.Unsubscribed);

    public long Get(EmailMetric metric) => metric switch
    {
        EmailMetric.Sent => Sent,
        EmailMetric.Opened => Opened,
        EmailMetric.Clicked => Clicked,
        _ => Unsubscribed,
    };

    public EmailCounts Add(EmailMetric metric) => metric switch
    {
        EmailMetric.Sent => this with { Sent = Sent + 1 },
        EmailMetric.Opened => this with { Opened = Opened + 1 },
        EmailMetric.Clicked => this with { Clicked = Clicked + 1 },
        _ => this with { Unsubscribed = Unsubscribed + 1 },
    };
}

/// <summary>A workflow's email counts: the total and each step's.</summary>
public sealed record EmailStatsView(long Sent, long Opened, long Clicked, long Unsubscribed, IReadOnlyDictionary<string, EmailCounts> Steps);

/// <summary>
/// Email counters in <c>{prefix}EmailStats</c>, one partition per workflow, with no hot row (invariant 8):
/// <list type="bullet">
/// <item>a marker per message and metric (<c>m|{metric}|{message hash}</c>), inserted in the same batch as the count,
/// so a message opened ten times, or sent again after a crash, counts once (the insert fails, nothing is counted);</item>
/// <item>counter shards (<c>c|{stepId}|{slot}</c>): each process owns its slots and knows their values and ETags, so a
/// count is one batch with no read, and no two processes write the same row. A read sums the shards.</item>
/// </list>
/// </summary>
public sealed class EmailStats
{
    private const string CounterPrefix = "c|";
    private const string MarkerPrefix = "m|";

    private readonly CommunicationTables tables;
    private readonly TimeProvider time;
    private readonly string instanceId;
    private readonly ConcurrentBag<Slot> freeSlots = [];
    private int slotCount;

    public EmailStats(CommunicationTables tables, IOptions<RunnerOptions> runner, TimeProvider time)
    {
        this.tables = tables;
        this.time = time;
        var configured = runner.Value.InstanceId;

        // A configured instance id may have written before: its slots are read once. A random one never has.
        instanceId = string.IsNullOrWhiteSpace(configured) ? "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)) : "i" + Keys.Escape(configured.Trim());
    }

    private TableClient Table => tables.EmailStats;

    /// <summary>
    /// Counts <paramref name="metric"/> for the message once: true when this call counted it, false when it was already
    /// counted (a second open, a repeat send).
    /// </summary>
    public async Task<bool> CountAsync(string workflowId, string stepId, EmailMetric metric, string messageId, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var marker = new TableEntity(workflowId, MarkerRow(metric, messageId)) { ["At"] = time.GetUtcNow(), ["StepId"] = stepId };
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var slot = TakeSlot();
            try
            {
                var (counts, etag) = await slot.StateAsync(Table, workflowId, stepId, cancellationToken);
                var next = counts.Add(metric);
                var counter = CounterEntity(workflowId, stepId, slot.RowKey(stepId), next);
                TableTransactionAction counterAction = etag is { } e
                    ? new(TableTransactionActionType.UpdateReplace, counter, e)
                    : new(TableTransactionActionType.Add, counter);
                try
                {
                    var response = await Table.SubmitTransactionAsync([new(TableTransactionActionType.Add, marker), counterAction], cancellationToken);
                    slot.Set(workflowId, stepId, next, response.Value[1].Headers.ETag);
                    return true;
                }
                catch (TableTransactionFailedException f) when (f.FailedTransactionActionIndex == 0)
                {
                    return false;
                }
                catch (TableTransactionFailedException)
                {
                    // Our idea of the shard is stale (or the batch's fate unknown): read it again.
                    slot.Forget(workflowId, stepId);
                }
                catch (RequestFailedException f) when (f.Status is 0 or >= 500)
                {
                    slot.Forget(workflowId, stepId);
                    if (attempt == 8)
                    {
                        throw;
                    }
                }
            }
            finally
            {
                freeSlots.Add(slot);
            }
        }

        throw new InvalidOperationException($"The {EnumNames.Camel(metric)} count of workflow '{workflowId}' step '{stepId}' could not be written.");
    }

    /// <summary>The sums of the shards: one range read of the workflow's counters.</summary>
    public async Task<EmailStatsView> ReadAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workflowId} and RowKey ge {CounterPrefix} and RowKey lt {Keys.RangeEnd(CounterPrefix)}");
        var steps = new SortedDictionary<string, EmailCounts>(StringComparer.Ordinal);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var stepId = e.GetString("StepId") ?? "";
            steps[stepId] = steps.GetValueOrDefault(stepId, EmailCounts.Zero).Plus(CountsOf(e));
        }

        var total = steps.Values.Aggregate(EmailCounts.Zero, (a, b) => a.Plus(b));
        return new EmailStatsView(total.Sent, total.Opened, total.Clicked, total.Unsubscribed, steps);
    }

    /// <summary>A workflow's email events in [<paramref name="from"/>, <paramref name="to"/>): each message's first send, open, click and unsubscribe, with its step.</summary>
    public async Task<IReadOnlyList<(EmailMetric Metric, string StepId, DateTimeOffset At)>> EventsAsync(
        string workflowId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {workflowId} and RowKey ge {MarkerPrefix} and RowKey lt {Keys.RangeEnd(MarkerPrefix)} and At ge {from} and At lt {to}");
        var list = new List<(EmailMetric, string, DateTimeOffset)>();
        await foreach (var row in tables.EmailStats.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var metric = row.RowKey.Split('|')[1];
            if (Enum.TryParse<EmailMetric>(metric, ignoreCase: true, out var m) && row.GetDateTimeOffset("At") is { } at)
            {
                list.Add((m, row.GetString("StepId") ?? "", at));
            }
        }

        return list;
    }

    private static string MarkerRow(EmailMetric metric, string messageId) =>
        MarkerPrefix + EnumNames.Camel(metric) + "|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)).AsSpan(0, 12));

    private static TableEntity CounterEntity(string workflowId, string stepId, string rowKey, EmailCounts counts) => new(workflowId, rowKey)
    {
        ["StepId"] = stepId,
        ["Sent"] = counts.Sent,
        ["Opened"] = counts.Opened,
        ["Clicked"] = counts.Clicked,
        ["Unsubscribed"] = counts.Unsubscribed,
    };

    private static EmailCounts CountsOf(TableEntity e) => new(
        e.GetInt64("Sent") ?? 0, e.GetInt64("Opened") ?? 0, e.GetInt64("Clicked") ?? 0, e.GetInt64("Unsubscribed") ?? 0);

    private Slot TakeSlot()
    {
        if (freeSlots.TryTake(out var slot))
        {
            return slot;
        }

        var n = Interlocked.Increment(ref slotCount);
        return new Slot(instanceId + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), fresh: instanceId[0] == 'r');
    }

    /// <summary>Counter rows this process owns, one per workflow step; used by one writer at a time.</summary>
    private sealed class Slot(string name, bool fresh)
    {
        private readonly Dictionary<(string, string), (EmailCounts Counts, ETag? ETag)> known = [];
        private readonly HashSet<(string, string)> unknown = [];

        public string RowKey(string stepId) => CounterPrefix + stepId + "|" + name;

        public async Task<(EmailCounts Counts, ETag? ETag)> StateAsync(TableClient table, string workflowId, string stepId, CancellationToken cancellationToken)
        {
            if (known.TryGetValue((workflowId, stepId), out var state))
            {
                return state;
            }

            if (fresh && !unknown.Contains((workflowId, stepId)))
            {
                return (EmailCounts.Zero, null);
            }

            var read = await table.GetEntityIfExistsAsync<TableEntity>(workflowId, RowKey(stepId), cancellationToken: cancellationToken);
            state = read.HasValue ? (CountsOf(read.Value!), read.Value!.ETag) : (EmailCounts.Zero, null);
            known[(workflowId, stepId)] = state;
            return state;
        }

        public void Set(string workflowId, string stepId, EmailCounts counts, ETag? etag) => known[(workflowId, stepId)] = (counts, etag);

        public void Forget(string workflowId, string stepId)
        {
            known.Remove((workflowId, stepId));
            unknown.Add((workflowId, stepId));
        }
    }
}

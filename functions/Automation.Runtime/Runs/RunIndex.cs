using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Engine.Runs;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Runs;

/// <summary>
/// The runs of each workflow, newest first, and their counts. One partition per workflow:
/// <list type="bullet">
/// <item>an index row per run (<c>{inverted created ticks}|{runId}</c>), written when the run leaves a worker's hands
/// (it ends, waits, or an admin changes it), so a list is one range read;</item>
/// <item>counter shards (<c>~c|{slot}</c>): each process owns its own slots, knows their values and ETags, and
/// updates one in the same batch as the index row, so counting costs no extra transaction and no two workers ever
/// write the same counter row. Counts = the sum of the shards; idle shards are folded into <c>~c|base</c>.</item>
/// </list>
/// </summary>
public sealed class RunIndex
{
    private const string CounterPrefix = "~c|";
    private const string BaseShard = CounterPrefix + "base";
    private const int CompactAbove = 32;
    private static readonly TimeSpan CompactIdle = TimeSpan.FromMinutes(10);
    private static readonly RunStatus[] Statuses = Enum.GetValues<RunStatus>();

    private readonly AutomationStorage storage;
    private readonly TimeProvider time;
    private readonly ILogger<RunIndex> logger;
    private readonly string instanceId;
    private readonly bool freshSlots;
    private readonly ConcurrentBag<Slot> freeSlots = [];
    private int slotCount;

    public RunIndex(AutomationStorage storage, IOptions<RunnerOptions> options, TimeProvider time, ILogger<RunIndex> logger)
    {
        this.storage = storage;
        this.time = time;
        this.logger = logger;
        freshSlots = string.IsNullOrWhiteSpace(options.Value.InstanceId);
        instanceId = freshSlots
            ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))
            : Keys.Escape(options.Value.InstanceId!.Trim());
    }

    private TableClient Table => storage.RunIndex;

    /// <summary>
    /// Brings the run's index row up to date with <paramref name="run"/> and moves its count to the new status.
    /// <paramref name="probablyNew"/>: the caller just created the run, so try inserting before reading.
    /// Idempotent; an older state than the one indexed is ignored.
    /// </summary>
    public async Task RecordAsync(RunState run, bool probablyNew, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var rowKey = IndexRow(run);
        var assumeAbsent = probablyNew;
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            TableEntity? existing = null;
            if (!assumeAbsent)
            {
                var read = await Table.GetEntityIfExistsAsync<TableEntity>(run.WorkflowId, rowKey, cancellationToken: cancellationToken);
                existing = read.HasValue ? read.Value : null;
            }

            assumeAbsent = false;
            RunStatus? old = existing is null ? null : EnumNames.Parse(existing.GetString("Status"), RunStatus.Running);
            if (existing is not null)
            {
                var indexedAt = existing.GetDateTimeOffset("UpdatedAt") ?? default;
                if (indexedAt > run.UpdatedAt || (indexedAt == run.UpdatedAt && old == run.Status))
                {
                    return;
                }

                if (old == run.Status)
                {
                    try
                    {
                        await Table.UpdateEntityAsync(IndexEntity(run, rowKey), existing.ETag, TableUpdateMode.Replace, cancellationToken);
                        return;
                    }
                    catch (RequestFailedException e) when (e.Status is 412 or 404)
                    {
                        continue;
                    }
                }
            }

            var slot = TakeSlot();
            try
            {
                var shard = await slot.StateAsync(Table, run.WorkflowId, cancellationToken);
                var counts = new Dictionary<RunStatus, long>(shard.Counts);
                if (old is { } o)
                {
                    counts[o] = counts.GetValueOrDefault(o) - 1;
                }

                counts[run.Status] = counts.GetValueOrDefault(run.Status) + 1;
                var lastRunAt = Max(shard.LastRunAt, run.CreatedAt);
                var shardEntity = CounterEntity(run.WorkflowId, slot.RowKey, counts, lastRunAt);
                TableTransactionAction indexAction = existing is null
                    ? new(TableTransactionActionType.Add, IndexEntity(run, rowKey))
                    : new(TableTransactionActionType.UpdateReplace, IndexEntity(run, rowKey), existing.ETag);
                TableTransactionAction shardAction = shard.ETag is { } etag
                    ? new(TableTransactionActionType.UpdateReplace, shardEntity, etag)
                    : new(TableTransactionActionType.Add, shardEntity);
                try
                {
                    var response = await Table.SubmitTransactionAsync([indexAction, shardAction], cancellationToken);
                    slot.Set(run.WorkflowId, new ShardState(counts, lastRunAt, response.Value[1].Headers.ETag));
                    return;
                }
                catch (TableTransactionFailedException e)
                {
                    if (e.FailedTransactionActionIndex is 1 or null)
                    {
                        // The shard was folded into the base (404), or we no longer know its value: read it again.
                        slot.Forget(run.WorkflowId);
                    }

                    Logs.IndexWriteRetried(logger, run.RunId, e.Status, e.FailedTransactionActionIndex ?? -1);
                }
                catch (RequestFailedException e) when (e.Status is 0 or >= 500)
                {
                    // The outcome is unknown: read both rows again, which shows whether the batch landed.
                    slot.Forget(run.WorkflowId);
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

        throw new InvalidOperationException($"The index row of run '{run.RunId}' could not be written: too many concurrent changes.");
    }

    /// <summary>Runs of a workflow, newest first, optionally of one status or one record.</summary>
    public async Task<Page<RunSummary>> ListAsync(
        string workflowId, RunStatus? status, string? recordId, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, 1000);
        var filter = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey eq {workflowId} and RowKey lt {"~"}"));
        if (status is { } s)
        {
            filter.Append(" and ").Append(TableClient.CreateQueryFilter($"Status eq {EnumNames.Camel(s)}"));
        }

        if (!string.IsNullOrEmpty(recordId))
        {
            filter.Append(" and ").Append(TableClient.CreateQueryFilter($"RecordId eq {recordId}"));
        }

        var (rows, next) = await TablePages.ReadAsync(Table, filter.ToString(), limit, continuationToken, null, cancellationToken);
        return new Page<RunSummary>(rows.Select(SummaryFrom).ToArray(), next);
    }

    /// <summary>Runs of a workflow created in [<paramref name="from"/>, <paramref name="to"/>): one range read of its partition.</summary>
    public async Task<IReadOnlyList<RunSummary>> CreatedBetweenAsync(string workflowId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        // Rows are keyed by inverted creation ticks: the newest (to) comes first.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {workflowId} and RowKey gt {Keys.InvertedTicks(to)} and RowKey le {Keys.InvertedTicks(from) + "|~"}");
        var list = new List<RunSummary>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var run = SummaryFrom(row);
            if (run.CreatedAt >= from && run.CreatedAt < to)
            {
                list.Add(run);
            }
        }

        return list;
    }

    /// <summary>Run count and last run time of a workflow: the sum of its counter shards.</summary>
    public async Task<(long RunCount, DateTimeOffset? LastRunAt)> CountersAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var stats = await StatsAsync(workflowId, cancellationToken);
        return (stats.RunCount, stats.LastRunAt);
    }

    public async Task<RunStats> StatsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {workflowId} and RowKey ge {CounterPrefix} and RowKey lt {Keys.RangeEnd(CounterPrefix)}");
        var shards = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            shards.Add(row);
        }

        var byStatus = Statuses.ToDictionary(s => s, _ => 0L);
        DateTimeOffset? last = null;
        foreach (var shard in shards)
        {
            foreach (var s in Statuses)
            {
                byStatus[s] += shard.GetInt64(EnumNames.Camel(s)) ?? 0;
            }

            last = Max(last, shard.GetDateTimeOffset("LastRunAt"));
        }

        if (shards.Count > CompactAbove)
        {
            await CompactAsync(workflowId, shards, cancellationToken);
        }

        return new RunStats(byStatus.Values.Sum(), last, byStatus);
    }

    /// <summary>
    /// Folds shards idle for a while into the base shard, so that counting stays one small read however many
    /// processes have come and gone. ETags on every row: a shard written meanwhile fails the batch, and nothing is lost.
    /// </summary>
    private async Task CompactAsync(string workflowId, List<TableEntity> shards, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - CompactIdle;
        var baseRow = shards.FirstOrDefault(s => s.RowKey == BaseShard);
        var idle = shards.Where(s => s.RowKey != BaseShard && s.Timestamp is { } t && t < cutoff).Take(98).ToList();
        if (idle.Count < 2)
        {
            return;
        }

        var counts = Statuses.ToDictionary(s => s, s => baseRow?.GetInt64(EnumNames.Camel(s)) ?? 0L);
        var last = baseRow?.GetDateTimeOffset("LastRunAt");
        foreach (var shard in idle)
        {
            foreach (var s in Statuses)
            {
                counts[s] += shard.GetInt64(EnumNames.Camel(s)) ?? 0;
            }

            last = Max(last, shard.GetDateTimeOffset("LastRunAt"));
        }

        var actions = new List<TableTransactionAction>
        {
            baseRow is null
                ? new(TableTransactionActionType.Add, CounterEntity(workflowId, BaseShard, counts, last))
                : new(TableTransactionActionType.UpdateReplace, CounterEntity(workflowId, BaseShard, counts, last), baseRow.ETag),
        };
        actions.AddRange(idle.Select(s => new TableTransactionAction(TableTransactionActionType.Delete, s, s.ETag)));
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // Someone counted meanwhile; the next read compacts again.
            Logs.CompactionSkipped(logger, workflowId, e.Status);
        }
    }

    private static string IndexRow(RunState run) => Keys.InvertedTicks(run.CreatedAt) + "|" + run.RunId;

    private static TableEntity IndexEntity(RunState run, string rowKey) => new(run.WorkflowId, rowKey)
    {
        ["RunId"] = run.RunId,
        ["WorkflowVersion"] = run.WorkflowVersion,
        ["Module"] = run.Module,
        ["RecordId"] = run.RecordId,
        ["Status"] = EnumNames.Camel(run.Status),
        ["CreatedAt"] = run.CreatedAt,
        ["UpdatedAt"] = run.UpdatedAt,
        ["EndedAt"] = run.EndedAt,
        ["WakeAt"] = run.WakeAt,
        ["Error"] = Records.StepLogRows.Truncate(run.Error, 2000),
        ["TriggerEventId"] = run.TriggerEventId,
        ["StepsExecuted"] = run.StepsExecuted,
        ["Cursor"] = run.Cursor,
    };

    private static RunSummary SummaryFrom(TableEntity e) => new()
    {
        RunId = e.GetString("RunId") ?? "",
        WorkflowId = e.PartitionKey,
        WorkflowVersion = e.GetInt32("WorkflowVersion") ?? 1,
        Module = e.GetString("Module") ?? "",
        RecordId = e.GetString("RecordId") ?? "",
        Status = EnumNames.Parse(e.GetString("Status"), RunStatus.Running),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        EndedAt = e.GetDateTimeOffset("EndedAt"),
        WakeAt = e.GetDateTimeOffset("WakeAt"),
        Error = e.GetString("Error"),
        TriggerEventId = e.GetString("TriggerEventId") ?? "",
        StepsExecuted = e.GetInt32("StepsExecuted") ?? 0,
        Cursor = e.GetInt32("Cursor") ?? 0,
    };

    private static TableEntity CounterEntity(string workflowId, string rowKey, Dictionary<RunStatus, long> counts, DateTimeOffset? lastRunAt)
    {
        var e = new TableEntity(workflowId, rowKey) { ["LastRunAt"] = lastRunAt };
        foreach (var s in Statuses)
        {
            e[EnumNames.Camel(s)] = counts.GetValueOrDefault(s);
        }

        return e;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    private Slot TakeSlot()
    {
        if (freeSlots.TryTake(out var slot))
        {
            return slot;
        }

        var n = Interlocked.Increment(ref slotCount);
        return new Slot(CounterPrefix + instanceId + "-" + n.ToString(CultureInfo.InvariantCulture), freshSlots);
    }

    private sealed record ShardState(IReadOnlyDictionary<RunStatus, long> Counts, DateTimeOffset? LastRunAt, ETag? ETag);

    /// <summary>A counter row this process owns; used by one writer at a time (taken from and returned to the pool).</summary>
    /// <param name="rowKey">The counter row.</param>
    /// <param name="fresh">
    /// The row key was made up by this process (random instance id), so the row cannot exist until this slot writes
    /// it: no read is needed to start counting.
    /// </param>
    private sealed class Slot(string rowKey, bool fresh)
    {
        private readonly Dictionary<string, ShardState> byWorkflow = new(StringComparer.Ordinal);
        private readonly HashSet<string> unknown = new(StringComparer.Ordinal);

        public string RowKey { get; } = rowKey;

        public async Task<ShardState> StateAsync(TableClient table, string workflowId, CancellationToken cancellationToken)
        {
            if (byWorkflow.TryGetValue(workflowId, out var state))
            {
                return state;
            }

            if (fresh && !unknown.Contains(workflowId))
            {
                return new ShardState(new Dictionary<RunStatus, long>(), null, null);
            }

            var read = await table.GetEntityIfExistsAsync<TableEntity>(workflowId, RowKey, cancellationToken: cancellationToken);
            state = read.HasValue
                ? new ShardState(
                    Statuses.ToDictionary(s => s, s => read.Value!.GetInt64(EnumNames.Camel(s)) ?? 0L),
                    read.Value!.GetDateTimeOffset("LastRunAt"),
                    read.Value.ETag)
                : new ShardState(new Dictionary<RunStatus, long>(), null, null);
            byWorkflow[workflowId] = state;
            return state;
        }

        public void Set(string workflowId, ShardState state) => byWorkflow[workflowId] = state;

        public void Forget(string workflowId)
        {
            byWorkflow.Remove(workflowId);
            unknown.Add(workflowId);
        }
    }
}

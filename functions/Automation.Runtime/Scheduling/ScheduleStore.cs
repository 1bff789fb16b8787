using Automation.Engine.Schedules;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// The scheduler's rows, in the Workflows table's <c>schedules</c> partition (see docs/storage.md): one state row per
/// workflow (<see cref="ScheduleState"/>) and one claim row per fired occurrence, <c>o|{workflowId}|{occurrence}</c>.
/// Claiming an occurrence is one batch: <b>insert</b> the claim row (a second claimant gets 409) and move the state
/// row on with its ETag (a claimant that read an older state gets 412). Either way exactly one instance fires it.
/// Every other write is conditional on the state row's ETag; null means another instance got there first.
/// </summary>
public sealed class ScheduleStore(AutomationStorage storage)
{
    public const string Partition = "schedules";
    private const string StatePrefix = "w|";
    private const string ClaimPrefix = "o|";

    private TableClient Table => storage.Workflows;

    public static string StateRow(string workflowId) => StatePrefix + workflowId;

    public static string ClaimRow(string workflowId, DateTimeOffset occurrence) =>
        ClaimPrefix + workflowId + "|" + ScheduleEvents.Key(occurrence);

    /// <summary>Every workflow's state, in one range read.</summary>
    public async Task<Dictionary<string, ScheduleState>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition} and RowKey ge {StatePrefix} and RowKey lt {Keys.RangeEnd(StatePrefix)}");
        var states = new Dictionary<string, ScheduleState>(StringComparer.Ordinal);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var state = ScheduleState.From(e);
            states[state.WorkflowId] = state;
        }

        return states;
    }

    public async Task<ScheduleState?> GetAsync(string workflowId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, StateRow(workflowId), cancellationToken: cancellationToken);
        return row.HasValue ? ScheduleState.From(row.Value!) : null;
    }

    /// <summary>The claim of one occurrence, as written when it was claimed and completed.</summary>
    public async Task<TableEntity?> GetClaimAsync(string workflowId, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, ClaimRow(workflowId, occurrence), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Claims <paramref name="next"/>'s job occurrence: insert-if-absent claim row plus the state row, in one batch.</summary>
    public async Task<ScheduleState?> ClaimAsync(ScheduleState? current, ScheduleState next, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var at = next.JobAt ?? throw new ArgumentException("A claim needs the occurrence.", nameof(next));
        var claim = new TableEntity(Partition, ClaimRow(next.WorkflowId, at))
        {
            ["Kind"] = "occurrence",
            ["WorkflowId"] = next.WorkflowId,
            ["Occurrence"] = at,
            ["Late"] = next.JobLate,
            ["ClaimedAt"] = claimedAt,
        };
        try
        {
            var response = await Table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, claim), StateAction(current, next)],
                cancellationToken);
            return next with { ETag = response.Value[1].Headers.ETag ?? default };
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="next"/> over <paramref name="current"/> (insert when there is none yet).</summary>
    public async Task<ScheduleState?> SaveAsync(ScheduleState? current, ScheduleState next, CancellationToken cancellationToken)
    {
        try
        {
            var response = current is null
                ? await Table.AddEntityAsync(next.ToEntity(), cancellationToken)
                : await Table.UpdateEntityAsync(next.ToEntity(), current.ETag, TableUpdateMode.Replace, cancellationToken);
            return next with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Ends an occurrence's job: the state drops it and the claim row records how many events it fired, in one batch.</summary>
    public async Task<ScheduleState?> CompleteAsync(ScheduleState current, long events, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        var at = current.JobAt ?? throw new ArgumentException("The state has no occurrence job.", nameof(current));
        var next = current.WithoutJob();
        var claim = new TableEntity(Partition, ClaimRow(current.WorkflowId, at))
        {
            ["Events"] = events,
            ["CompletedAt"] = completedAt,
        };
        try
        {
            var response = await Table.SubmitTransactionAsync(
                [StateAction(current, next), new TableTransactionAction(TableTransactionActionType.UpdateMerge, claim, ETag.All)],
                cancellationToken);
            return next with { ETag = response.Value[0].Headers.ETag ?? default };
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    private static TableTransactionAction StateAction(ScheduleState? current, ScheduleState next) => current is null
        ? new TableTransactionAction(TableTransactionActionType.Add, next.ToEntity())
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next.ToEntity(), current.ETag);
}

using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// A run's orchestration as the task hub stores it, read the way Durable Functions Monitor reads it: the
/// <c>{hub}Instances</c> row (partition = instance id) and the <c>{hub}History</c> rows of the instance (one per
/// history event, in sequence). Both hosts use the Azure Storage provider, so this works under either.
/// </summary>
public sealed class TaskHubHistory(AutomationStorage storage, IOptions<DurableOptions> options)
{
    public string HubName { get; } = options.Value.HubFor(storage.Names);

    public TableClient Instances => storage.TableService.GetTableClient(HubName + "Instances");

    public TableClient History => storage.TableService.GetTableClient(HubName + "History");

    /// <summary>The instance and its history events, oldest first; null when the hub has no such instance.</summary>
    public async Task<OrchestrationView?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        NullableResponse<TableEntity> instance;
        try
        {
            instance = await Instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        if (!instance.HasValue)
        {
            return null;
        }

        var row = instance.Value!;
        var executionId = row.GetString("ExecutionId");
        var events = new List<HistoryEventView>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        var select = new[] { "RowKey", "EventType", "_Timestamp", "Timestamp", "Name", "FireAt", "EventId", "TaskScheduledId", "TimerId", "ExecutionId", "Reason" };
        await foreach (var e in History.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
        {
            if (e.RowKey == "sentinel" || e.GetString("EventType") is not { } type)
            {
                continue;
            }

            // A retried run is a new execution of the same instance: show the current one.
            if (executionId is not null && e.GetString("ExecutionId") is { } execution && execution != executionId)
            {
                continue;
            }

            events.Add(new HistoryEventView(
                e.RowKey,
                type,
                Time(e, "_Timestamp") ?? e.Timestamp,
                e.GetString("Name"),
                Time(e, "FireAt"),
                e.GetString("Reason")));
        }

        events.Sort((a, b) => string.CompareOrdinal(a.Sequence, b.Sequence));
        return new OrchestrationView(
            instanceId,
            HubName,
            row.GetString("Name") ?? "",
            row.GetString("RuntimeStatus") ?? "",
            Time(row, "CreatedTime"),
            Time(row, "LastUpdatedTime"),
            row.GetString("CustomStatus"),
            events);
    }

    private static DateTimeOffset? Time(TableEntity e, string column) =>
        e.TryGetValue(column, out var value) ? value switch
        {
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => null,
        } : null;
}

/// <summary>A run's orchestration: its status in the task hub and its history.</summary>
public sealed record OrchestrationView(
    string InstanceId,
    string Hub,
    string Name,
    string RuntimeStatus,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUpdatedAt,
    string? CustomStatus,
    IReadOnlyList<HistoryEventView> History);

/// <summary>
/// One history event: <c>ExecutionStarted</c>, <c>TaskScheduled</c>/<c>TaskCompleted</c> (an activity: a segment of
/// steps), <c>TimerCreated</c> (with when it fires)/<c>TimerFired</c>, <c>EventRaised</c> (a record change, a decision,
/// "run now"), <c>ExecutionTerminated</c>, <c>ExecutionCompleted</c>, ...
/// </summary>
public sealed record HistoryEventView(string Sequence, string EventType, DateTimeOffset? At, string? Name, DateTimeOffset? FireAt, string? Reason);

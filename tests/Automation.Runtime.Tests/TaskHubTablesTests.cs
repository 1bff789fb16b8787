using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Runs;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Automation.Runtime.Tests;

/// <summary>
/// The task hub as Durable Functions Monitor sees it: read straight from <c>{hub}Instances</c> and <c>{hub}History</c>
/// with Azure.Data.Tables, not through <see cref="TaskHubHistory"/>, so that a change of ours cannot hide what the
/// monitor (or anyone reading the tables) would find.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskHubTablesTests : RuntimeTest
{
    private const int PerKind = 6;

    [Fact]
    public async Task After_a_burst_every_run_is_an_instance_named_RunWorkflow_with_its_history_and_a_skipped_run_has_none()
    {
        var now = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Now", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "now", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("now")}}}" } } ]
        }
        """);
        var later = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Later", "module": "deal", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "until": "{{ now | add_minutes: 0.03 }}" }, "params": { "url": "{{{Receiver.Url("later")}}}" } } ]
        }
        """);
        var never = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Never", "module": "contact", "trigger": { "type": "record.created" },
          "conditions": { "all": [ { "field": "record.amount", "op": "gt", "value": 50000 } ] },
          "steps": [ { "id": "never", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("never")}}}" } } ]
        }
        """);
        var events = Enumerable.Range(0, PerKind)
            .SelectMany(i => new[] { Json.Event("record.created", "lead", $"N-{i}"), Json.Event("record.created", "deal", $"D-{i}") })
            .Append(Json.Event("record.created", "contact", "S-1", new { amount = 100 }))
            .ToArray();
        await Host.SendAsync(events);

        var immediate = await EndedAsync("lead", "N-", now.Id!);
        var delayed = await EndedAsync("deal", "D-", later.Id!);
        var skipped = await Host.WaitForEndAsync("contact", "S-1", never.Id!);
        Assert.All(immediate.Concat(delayed), r => Assert.Equal(RunStatus.Succeeded, r.Run.Status));
        Assert.Equal(RunStatus.Skipped, skipped.Run.Status);

        // A run row ends with its last activity's checkpoint; the orchestration completes only when it takes in that
        // activity's result, a moment later, and the monitor would show it running until then.
        await Eventually.HoldsAsync(async () => !await Host.OrchestrationsBusyAsync(), TimeSpan.FromSeconds(60));

        var hub = Host.Durable.HubName;
        var tables = new TableServiceClient("UseDevelopmentStorage=true");
        var instances = await ReadAsync(tables.GetTableClient(hub + "Instances"), null);
        var runIds = immediate.Concat(delayed).Select(r => r.Run.RunId).ToHashSet(StringComparer.Ordinal);

        // The hub is this test's alone: its instances are exactly the runs that were started.
        Assert.Equal(runIds.Order(StringComparer.Ordinal), instances.Select(i => i.PartitionKey).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(instances, i => i.PartitionKey == skipped.Run.RunId);
        foreach (var instance in instances)
        {
            Assert.Equal(OrchestrationNames.RunWorkflow, instance.GetString("Name"));
            Assert.Equal("Completed", instance.GetString("RuntimeStatus"));
            Assert.NotNull(instance.GetDateTimeOffset("CreatedTime"));
            Assert.True(instance.GetDateTimeOffset("LastUpdatedTime") >= instance.GetDateTimeOffset("CreatedTime"), instance.PartitionKey);
        }

        var history = tables.GetTableClient(hub + "History");
        foreach (var run in immediate)
        {
            var types = await EventTypesAsync(history, run.Run.RunId);
            AssertHas(types, run.Run.RunId, "ExecutionStarted", "TaskScheduled", "TaskCompleted", "ExecutionCompleted");
            Assert.DoesNotContain("TimerCreated", types);
        }

        foreach (var run in delayed)
        {
            var types = await EventTypesAsync(history, run.Run.RunId);
            AssertHas(types, run.Run.RunId, "ExecutionStarted", "TaskScheduled", "TaskCompleted", "TimerCreated", "TimerFired", "ExecutionCompleted");
        }

        Assert.Empty(await ReadAsync(history, TableClient.CreateQueryFilter($"PartitionKey eq {skipped.Run.RunId}")));
    }

    private async Task<RunDetails[]> EndedAsync(string module, string prefix, string workflowId)
    {
        var runs = new RunDetails[PerKind];
        for (var i = 0; i < PerKind; i++)
        {
            runs[i] = await Host.WaitForEndAsync(module, prefix + i, workflowId, TimeSpan.FromSeconds(120));
        }

        return runs;
    }

    private static async Task<List<TableEntity>> ReadAsync(TableClient table, string? filter)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The instance's history event types in sequence (the row key), as the monitor lists them.</summary>
    private static async Task<List<string>> EventTypesAsync(TableClient history, string instanceId)
    {
        var rows = await ReadAsync(history, TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"));
        return rows.Where(r => r.GetString("EventType") is not null)
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .Select(r => r.GetString("EventType")!)
            .ToList();
    }

    /// <summary>Each of <paramref name="expected"/> is there, in that order (other events may come between).</summary>
    private static void AssertHas(List<string> types, string runId, params string[] expected)
    {
        var at = 0;
        foreach (var type in types)
        {
            if (at < expected.Length && type == expected[at])
            {
                at++;
            }
        }

        Assert.True(at == expected.Length, $"{runId}: history [{string.Join(", ", types)}] lacks [{string.Join(", ", expected)}] in order.");
    }
}

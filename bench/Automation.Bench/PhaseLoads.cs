using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Automation.Bench;

/// <summary>What a phase drives: our runs through intake, or the bare-Durable baseline through the task hub's client.</summary>
public interface IPhaseLoad
{
    string Phase { get; }

    int Steps { get; }

    /// <summary>The id the receiver sees for item <paramref name="i"/> (event id, or baseline instance id).</summary>
    string Id(int i);

    /// <summary>Sends the items (index, due time of step 2); returns when the host took them.</summary>
    Task SendAsync(IReadOnlyList<(int Index, DateTimeOffset? WakeAt)> items);

    /// <summary>Besides every last step having reached the receiver: is the host's own work for <paramref name="n"/> items done?</summary>
    bool Drained(int n, StorageTraffic traffic, IReadOnlyDictionary<string, long> trafficBefore);

    Task<Dictionary<string, int>> StatusesAsync();
}

/// <summary>Runs of an active workflow: events posted to intake, many per request in a burst.</summary>
public sealed class RunsLoad(BenchHost host, string phase, int steps, string workflowId) : IPhaseLoad
{
    public string Phase => phase;

    public int Steps => steps;

    public string Id(int i) => BenchWorkflows.EventId(phase, i);

    public Task SendAsync(IReadOnlyList<(int Index, DateTimeOffset? WakeAt)> items) =>
        host.Api.PostEventsAsync([.. items.Select(item => BenchWorkflows.Event(phase, item.Index, item.WakeAt))]);

    /// <summary>Every event message deleted: a run's last checkpoint and its index row are written before that.</summary>
    public bool Drained(int n, StorageTraffic traffic, IReadOnlyDictionary<string, long> trafficBefore) =>
        traffic.Of("queue delete events") - trafficBefore.GetValueOrDefault("queue delete events") >= n;

    public Task<Dictionary<string, int>> StatusesAsync() => host.RunStatusesAsync(workflowId);
}

/// <summary>Baseline orchestrations started one by one through the task hub's client.</summary>
public sealed class BaselineLoad(BenchHost host, Receiver receiver, string phase, int steps) : IPhaseLoad
{
    public string Phase => phase;

    public int Steps => steps;

    public string Id(int i) => BenchWorkflows.EventId(phase, i);

    public async Task SendAsync(IReadOnlyList<(int Index, DateTimeOffset? WakeAt)> items)
    {
        foreach (var (index, wakeAt) in items)
        {
            var id = Id(index);
            var urls = Enumerable.Range(1, steps).Select(s => receiver.Url(phase, BenchWorkflows.StepId(s), id)).ToArray();
            await host.Durable.Client.ScheduleNewOrchestrationInstanceAsync(
                Baseline.Orchestration, new BaselineInput(urls, wakeAt), new StartOrchestrationOptions(id));
        }
    }

    public bool Drained(int n, StorageTraffic traffic, IReadOnlyDictionary<string, long> trafficBefore) => true;

    public Task<Dictionary<string, int>> StatusesAsync() => host.InstanceStatusesAsync(BenchWorkflows.EventIdPrefix(phase));
}
